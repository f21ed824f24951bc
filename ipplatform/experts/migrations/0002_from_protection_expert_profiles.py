"""Data migration: the protection app's expert pool (protection.ExpertProfile) moves into the one pool (experts.Expert).

Each profile becomes an Expert with the same account, title, employer (linked to a platform organisation of exactly that
name when there is one) and active flag; its field line is split into IPC symbols, 国民经济行业 sections and keywords.
The reverse copies the entries back (those with an account) so protection 0003 can be unapplied."""

import re

from django.db import migrations

IPC_RE = re.compile(r"^[A-H](\d{2}([A-Z](\d{1,4}(/\d{1,6})?)?)?)?$")
SECTIONS = {
    "A": "农、林、牧、渔业",
    "B": "采矿业",
    "C": "制造业",
    "D": "电力、热力、燃气及水生产和供应业",
    "E": "建筑业",
    "F": "批发和零售业",
    "G": "交通运输、仓储和邮政业",
    "H": "住宿和餐饮业",
    "I": "信息传输、软件和信息技术服务业",
    "J": "金融业",
    "K": "房地产业",
    "L": "租赁和商务服务业",
    "M": "科学研究和技术服务业",
    "N": "水利、环境和公共设施管理业",
    "O": "居民服务、修理和其他服务业",
    "P": "教育",
    "Q": "卫生和社会工作",
    "R": "文化、体育和娱乐业",
    "S": "公共管理、社会保障和社会组织",
    "T": "国际组织",
}


def split(text):
    ipc, inds, other = [], [], []
    for part in (text or "").replace("；", ";").replace("，", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        norm = part.upper().replace(" ", "")
        names = {v: k for k, v in SECTIONS.items()}
        if len(norm) >= 3 and IPC_RE.match(norm):
            ipc.append(norm)
        elif part in names:
            inds.append(names[part])
        else:
            other.append(part)
    return ipc, inds, other


def forward(apps, schema_editor):
    Profile = apps.get_model("protection", "ExpertProfile")
    Expert = apps.get_model("experts", "Expert")
    Organization = apps.get_model("core", "Organization")
    for p in Profile.objects.select_related("user").all():
        if Expert.objects.filter(user_id=p.user_id).exists():
            continue
        ipc, inds, other = split(p.fields)
        employer = Organization.objects.filter(name=p.employer).first() if p.employer else None
        user = p.user
        Expert.objects.create(
            user_id=p.user_id,
            name=(user.real_name or user.username)[:60],
            title=p.title,
            employer=employer,
            employer_name=p.employer,
            ipc_codes=";".join(ipc),
            industries=";".join(inds),
            keywords=";".join(other),
            uses=["protection"],
            is_active=p.is_active,
            source="迁移自侵权判定专家库",
        )


def backward(apps, schema_editor):
    Profile = apps.get_model("protection", "ExpertProfile")
    Expert = apps.get_model("experts", "Expert")
    for e in Expert.objects.filter(user__isnull=False):
        if not Profile.objects.filter(user_id=e.user_id).exists():
            fields = ";".join(
                x
                for x in [e.ipc_codes, ";".join(SECTIONS.get(c, c) for c in e.industries.split(";") if c), e.keywords]
                if x
            )
            Profile.objects.create(
                user_id=e.user_id,
                fields=fields or "未填写",
                title=e.title,
                employer=e.employer_name,
                is_active=e.is_active,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0001_initial"),
        ("protection", "0002_seed_and_triggers"),
    ]

    operations = [migrations.RunPython(forward, backward)]
