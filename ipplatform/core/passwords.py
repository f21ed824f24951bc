import re

from django.core.exceptions import ValidationError

_CLASSES = (
    ("小写字母", re.compile(r"[a-z]")),
    ("大写字母", re.compile(r"[A-Z]")),
    ("数字", re.compile(r"\d")),
    ("特殊字符", re.compile(r"[^A-Za-z0-9]")),
)


class CharacterClassValidator:
    """Passwords must mix at least `min_classes` of: lower case, upper case, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        present = [name for name, rx in _CLASSES if rx.search(password or "")]
        if len(present) < self.min_classes:
            raise ValidationError(
                f"密码须包含小写字母、大写字母、数字、特殊字符中的至少{self.min_classes}类，当前只有{len(present)}类",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"密码至少8位，且包含小写字母、大写字母、数字、特殊字符中的至少{self.min_classes}类。"
