"""Business rules of work-plan supervision, one module per concern:

- access: who supervises or imports, and which tasks, reports and 督办 records a user sees;
- uploads: reading an uploaded plan file; imports: staging, preview, unit mapping, commit;
- units: matching unit names to organisations and changing a task's responsible units;
- reports: milestones, progress reports and their review; reminders: 督办; board: supervision figures.

This module re-exports their public names so that `from ipplatform.workplan import services` keeps working
(management command, demo, tests of other packages).
"""

from __future__ import annotations

from .access import (
    SUPERVISING_DEPARTMENT,
    can_import,
    get_report,
    get_task,
    is_lead_of,
    is_supervisor,
    require_importer,
    require_supervisor,
    user_assignment,
    visible_reminders,
    visible_reports,
    visible_tasks,
)
from .board import (
    LATE_MARGIN,
    TARGET_STATUS_LABELS,
    board,
    cached_board,
    default_as_of,
    targets_with_measurements,
    viewer_key,
)
from .imports import (
    BUILTIN_PLAN,
    cancel_import,
    commit_import,
    narrow_collective,
    preview,
    resolve_unit,
    stage_builtin,
    stage_import,
)
from .reminders import acknowledge_reminder, remind_missing, send_reminder
from .reports import (
    ATTACHMENT_TYPES,
    MAX_ATTACHMENT,
    add_milestone,
    can_review,
    complete_task,
    figures_text,
    file_report,
    finish_milestone,
    parse_figures,
    reopen_task,
    reportable_periods,
    review_report,
    set_frequency,
)
from .units import (
    RELEVANT_KINDS,
    UNIT_KINDS,
    add_assignment,
    city_bureaus,
    collective_members,
    confirm_collective,
    departments,
    expand_task_units,
    map_assignment,
    match_unit,
    narrow_key,
    remove_assignment,
    unit_candidates,
)
from .uploads import decode_text, docx_text, excel_template, read_upload, spreadsheet_rows

__all__ = [
    "ATTACHMENT_TYPES",
    "BUILTIN_PLAN",
    "LATE_MARGIN",
    "MAX_ATTACHMENT",
    "RELEVANT_KINDS",
    "SUPERVISING_DEPARTMENT",
    "TARGET_STATUS_LABELS",
    "UNIT_KINDS",
    "acknowledge_reminder",
    "add_assignment",
    "add_milestone",
    "board",
    "cached_board",
    "viewer_key",
    "can_import",
    "can_review",
    "cancel_import",
    "city_bureaus",
    "collective_members",
    "commit_import",
    "complete_task",
    "confirm_collective",
    "decode_text",
    "default_as_of",
    "departments",
    "docx_text",
    "excel_template",
    "expand_task_units",
    "figures_text",
    "file_report",
    "finish_milestone",
    "get_report",
    "get_task",
    "is_lead_of",
    "is_supervisor",
    "map_assignment",
    "match_unit",
    "narrow_collective",
    "narrow_key",
    "parse_figures",
    "preview",
    "read_upload",
    "remind_missing",
    "remove_assignment",
    "reopen_task",
    "reportable_periods",
    "require_importer",
    "require_supervisor",
    "resolve_unit",
    "review_report",
    "send_reminder",
    "set_frequency",
    "spreadsheet_rows",
    "stage_builtin",
    "stage_import",
    "targets_with_measurements",
    "unit_candidates",
    "user_assignment",
    "visible_reminders",
    "visible_reports",
    "visible_tasks",
]
