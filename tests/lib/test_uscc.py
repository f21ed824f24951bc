import pytest

from ipplatform.lib import uscc

# Published codes of real enterprises (business registration notices).
REAL_VALID = ["914403001922038216", "91110108551385082Q", "9144030071526726XG", "91370200163562681G"]


@pytest.mark.parametrize("code", REAL_VALID)
def test_real_codes_are_valid(code):
    assert uscc.validate(code) is None


@pytest.mark.parametrize(
    "code, fragment",
    [
        ("914403001922038217", "第18位应为“6”"),  # Huawei's code with the check character changed
        ("91370200163562681", "应为18位"),
        ("91370200163562681I", "第18位字符“I”"),  # I is not in the GB 32100 alphabet
        ("91AB0200163562681G", "第3-8位"),
    ],
)
def test_invalid_codes_name_the_problem(code, fragment):
    reason = uscc.validate(code)
    assert reason is not None and fragment in reason


def test_lower_case_is_accepted():
    assert uscc.is_valid("9144030071526726xg")
