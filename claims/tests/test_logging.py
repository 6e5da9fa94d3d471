"""Structured logs: every workflow operation leaves exactly one record on the ``claims.workflow`` logger with
its operation, actor, claim and outcome (``ok`` or the refusal's code), rendered as one JSON object per line."""

import json
import logging
import runpy

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from claims import workflow

from .factories import in_review_claim, new_claim

FIELDS = ("operation", "actor", "claim", "outcome")


def workflow_records(caplog):
    return [record for record in caplog.records if record.name == "claims.workflow"]


def fields_of(record):
    return {name: getattr(record, name) for name in FIELDS}


def test_a_successful_operation_logs_one_record_with_actor_claim_and_outcome(editor, caplog):
    claim = new_claim(actor=editor)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="claims.workflow"):
        workflow.start_research(claim=claim, actor=editor, version=claim.version)
    [record] = workflow_records(caplog)
    assert fields_of(record) == {"operation": "start_research", "actor": editor.pk, "claim": claim.pk,
                                 "outcome": "ok"}
    assert record.levelno == logging.INFO
    assert record.getMessage() == f"start_research ok actor={editor.pk} claim={claim.pk}"


def test_a_refusal_logs_one_record_with_its_code(reviewer, caplog):
    claim = in_review_claim(actor=reviewer)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="claims.workflow"), pytest.raises(workflow.WorkflowError):
        workflow.approve(claim=claim, actor=reviewer, version=claim.version)  # the proposer: four eyes refuse
    [record] = workflow_records(caplog)
    assert fields_of(record) == {"operation": "approve", "actor": reviewer.pk, "claim": claim.pk,
                                 "outcome": "own_verdict"}
    assert "refused (own_verdict)" in record.getMessage()


def test_a_stale_version_is_logged_as_such(editor, caplog):
    claim = new_claim(actor=editor)
    with caplog.at_level(logging.INFO, logger="claims.workflow"), pytest.raises(workflow.StaleVersion):
        workflow.start_research(claim=claim, actor=editor, version=claim.version - 1)
    assert workflow_records(caplog)[-1].outcome == "stale_version"


def test_a_new_claim_is_logged_with_the_id_it_was_given(editor, caplog):
    with caplog.at_level(logging.INFO, logger="claims.workflow"):
        claim = new_claim(actor=editor)
        tip = workflow.create_claim(actor=None, text="A reader’s tip: ٢١٠ مليار", is_reader_tip=True)
    mine, readers = workflow_records(caplog)
    assert fields_of(mine) == {"operation": "create_claim", "actor": editor.pk, "claim": claim.pk, "outcome": "ok"}
    assert fields_of(readers) == {"operation": "create_claim", "actor": None, "claim": tip.pk, "outcome": "ok"}


def test_evidence_operations_name_the_claim_and_the_evidence(editor, caplog):
    claim = workflow.start_research(claim=(c := new_claim(actor=editor)), actor=editor, version=c.version)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="claims.workflow"):
        evidence = workflow.add_evidence(claim=claim, actor=editor, version=claim.version, title="Report",
                                         url="https://evidence.example/report")
        claim.refresh_from_db()
        with pytest.raises(workflow.WorkflowError):
            workflow.change_evidence(evidence=evidence, actor=editor, version=claim.version,
                                     url="javascript:alert(1)")
    added, refused = workflow_records(caplog)
    assert (added.claim, added.evidence, added.outcome) == (claim.pk, evidence.pk, "ok")
    assert (refused.claim, refused.evidence, refused.outcome) == (claim.pk, evidence.pk, "invalid_url")


def test_a_wrong_role_is_logged_as_a_refusal(editor, caplog):
    claim = in_review_claim(actor=editor)
    with caplog.at_level(logging.INFO, logger="claims.workflow"), pytest.raises(workflow.WorkflowError):
        workflow.send_back(claim=claim, actor=editor, version=claim.version, note="No")
    assert fields_of(workflow_records(caplog)[-1]) == {"operation": "send_back", "actor": editor.pk,
                                                       "claim": claim.pk, "outcome": "permission_denied"}


def test_the_workflow_logger_writes_one_json_object_per_line(editor, reviewer):
    handlers = logging.getLogger("claims.workflow").handlers
    [formatter] = {h.formatter for h in handlers if type(h.formatter).__name__ == "JsonFormatter"}
    claim = in_review_claim(actor=editor)
    record = logging.LogRecord("claims.workflow", logging.INFO, __file__, 1, "%s ok actor=%s claim=%s",
                               ("approve", reviewer.pk, claim.pk), None)
    for name, value in {"operation": "approve", "actor": reviewer.pk, "claim": claim.pk, "outcome": "ok",
                        "note": "ملاحظة\nsecond line"}.items():
        setattr(record, name, value)
    line = formatter.format(record)
    assert "\n" not in line
    logged = json.loads(line)
    assert {key: logged[key] for key in (*FIELDS, "level", "logger")} == {
        "operation": "approve", "actor": reviewer.pk, "claim": claim.pk, "outcome": "ok", "level": "INFO",
        "logger": "claims.workflow",
    }
    assert logged["message"] == f"approve ok actor={reviewer.pk} claim={claim.pk}"
    assert logged["note"] == "ملاحظة\nsecond line"
    assert logged["time"].endswith("+00:00")


def test_other_logs_stay_plain_text_unless_asked(monkeypatch):
    def logging_config(**env):
        monkeypatch.setenv("SECRET_KEY", "test-secret")
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(settings.BASE_DIR / "factcheck" / "settings.py"))["LOGGING"]

    monkeypatch.delenv("LOG_FORMAT", raising=False)
    config = logging_config()
    assert config["handlers"]["console"]["formatter"] == "plain"
    assert config["handlers"]["workflow"]["formatter"] == "json"
    assert logging_config(LOG_FORMAT="JSON")["handlers"]["console"]["formatter"] == "json"
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT must be plain or json"):
        logging_config(LOG_FORMAT="xml")


def test_an_operation_that_changes_nothing_is_still_logged_once(editor, caplog):
    claim = new_claim(actor=editor)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="claims.workflow"):
        workflow.edit_claim(claim=claim, actor=editor, version=claim.version, text=claim.text)
    [record] = workflow_records(caplog)
    assert (record.operation, record.outcome) == ("edit_claim", "ok")

