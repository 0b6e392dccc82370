"""好差评: the national five-level service evaluation (domain.md "好差评")."""

from __future__ import annotations

LEVEL_LABELS_ZH = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
DIMENSIONS = ("overall", "efficiency", "competence", "attitude")  # the offline dimensions
DIMENSION_LABELS_ZH = {
    "overall": "整体满意度",
    "efficiency": "服务效率",
    "competence": "服务水平",
    "attitude": "服务态度",
}
NEGATIVE_AT_MOST = 2  # 不满意 and 非常不满意 must be followed up
NEGATIVE_FOLLOW_UP_DAYS = 15  # ... within 15 working days


def is_negative(level: int) -> bool:
    return level <= NEGATIVE_AT_MOST
