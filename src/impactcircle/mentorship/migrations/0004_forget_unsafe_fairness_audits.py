"""Runs computed before the anonymity rules kept a fairness audit that could label a group of one
("level L7, people 1") and name a level or location its owner hid. Those audits are removed; the
run's other figures stay. A new run computes a safe audit."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def forget_unsafe_audits(apps: Any, schema_editor: Any) -> None:
    MatchingRun = apps.get_model("mentorship", "MatchingRun")
    changed = []
    for run in MatchingRun.objects.exclude(summary={}).only("pk", "summary").iterator():
        fairness = (run.summary or {}).get("fairness")
        if not isinstance(fairness, dict):
            continue
        if all("is_suppressed" in attribute for attribute in fairness.get("attributes", [])):
            continue  # already computed under the anonymity rules
        run.summary = {**run.summary, "fairness": None}
        changed.append(run)
    MatchingRun.objects.bulk_update(changed, ["summary"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("mentorship", "0003_run_publishing_status")]

    operations = [migrations.RunPython(forget_unsafe_audits, migrations.RunPython.noop)]
