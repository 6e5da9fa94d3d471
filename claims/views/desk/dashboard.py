"""The dashboard: the desk's queues, each with its count, and a search over every claim."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from claims import workflow
from claims.models import Claim

from .common import desk_view, paginate

QUEUE_ROWS = 8
# A queue counts its claims up to this many and then says "100+": an exact count of a long queue costs time
# in proportion to its length (the recently published queue is the whole archive) and tells a desk no more.
# The queue's own page (?queue=) counts in full.
COUNT_CAP = 100


@dataclass
class Queue:
    slug: str
    title: str
    claims: QuerySet
    empty: str

    def load(self):
        """Two queries: the count (up to COUNT_CAP + 1), and the first rows."""
        self.count = self.claims.order_by()[: COUNT_CAP + 1].count()  # no ORDER BY: nothing to sort to count
        self.capped = self.count > COUNT_CAP
        self.count_label = f"{COUNT_CAP}+" if self.capped else str(self.count)
        self.rows = list(self.claims[:QUEUE_ROWS])
        self.more = self.capped or self.count > len(self.rows)
        return self


def queues_for(user):
    claims = Claim.objects.for_desk(user)
    queues = [Queue("mine", "My assignments", claims.assigned_to(user), "Nothing is assigned to you.")]
    if user.has_perm(workflow.REVIEWER_PERMISSION):
        queues.append(Queue("review", "Awaiting my review", claims.awaiting_review_by(user),
                            "No verdict is waiting for your review."))
    queues += [
        Queue("new", "New, including reader tips", claims.new_arrivals(), "No new claims."),
        Queue("recheck", "Due for re-check", claims.due_for_recheck(timezone.localdate()),
              "No published verdict is due for a re-check."),
        Queue("published", "Recently published", claims.latest_published(), "Nothing published yet."),
    ]
    return {queue.slug: queue for queue in queues}


@desk_view
@require_safe
def dashboard(request):
    """The queues; ``?queue=`` lists one queue in full; ``?q=`` and ``?status=`` search every claim."""
    queues = queues_for(request.user)
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    status = status if status in Claim.Status.values else ""
    context = {"q": q, "status": status, "statuses": Claim.Status.choices}
    if q or status:
        claims = Claim.objects.for_desk(request.user)
        claims = claims.search(q) if q else claims
        context["results"] = paginate(request, claims.filter(status=status) if status else claims)
    elif request.GET.get("queue") in queues:
        queue = queues[request.GET["queue"]]
        context.update(queue=queue, results=paginate(request, queue.claims))
    else:
        context["queues"] = [queue.load() for queue in queues.values()]
    return render(request, "desk/dashboard.html", context)
