"""Access rules for the URLs of this app (format: ipplatform/core/access.py, docs/ACCESS.md)."""

from ipplatform.core.access import PROVINCIAL, STAFF, Obj, Rule, data_file, user


def _run_with_errors():
    from ipplatform.patents.models import ImportRun

    return ImportRun.objects.create(
        file_name="demo.xlsx", created_by=user("guihua"), error_file=data_file("patents/imports/matrix-errors.xlsx")
    )


def _mapping():
    from ipplatform.patents.models import ColumnMapping

    return ColumnMapping.objects.create(name="访问矩阵映射")


RULES = [
    Rule("patents:import", allow=PROVINCIAL),
    Rule("patents:import_history", allow=STAFF),
    Rule("patents:import_detail", allow=PROVINCIAL, obj=Obj("patents.ImportRun")),
    Rule(
        "patents:import_errors",
        allow=PROVINCIAL,
        obj=Obj("patents.ImportRun", make=_run_with_errors, error_file__gt=""),
    ),
    Rule("patents:applicants", allow=STAFF),
    Rule("patents:applicant_edit", allow=PROVINCIAL, obj=Obj("patents.Applicant", region_code__startswith="3701")),
    Rule("patents:unattributed", allow=STAFF),
    Rule("patents:mappings", allow=STAFF),
    Rule("patents:mapping_new", allow=PROVINCIAL),
    Rule("patents:mapping_edit", allow=PROVINCIAL, obj=Obj("patents.ColumnMapping", make=_mapping)),
    Rule("patents:mapping_delete", allow=PROVINCIAL, obj=Obj("patents.ColumnMapping", make=_mapping), method="POST"),
]
