"""The case screens' words for the domain's codes (states, audiences, material needs and
sources), translatable in the case dialog's context; the domain keeps its Chinese labels for
documents and the command line."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desk_app.domain.bundle import Audience, Source
from desk_app.domain.cases import CaseState, DecisionOption
from desk_app.services.common.catalog import fact_names
from desk_app.ui.common.i18n import QT_TRANSLATE_NOOP, in_language, is_english

STATES = {
    CaseState.OPEN: QT_TRANSLATE_NOOP("CaseDialog", "办理中"),
    CaseState.ACCEPTED: QT_TRANSLATE_NOOP("CaseDialog", "已受理"),
    CaseState.DEFERRED: QT_TRANSLATE_NOOP("CaseDialog", "容缺受理"),
    CaseState.NOTICE: QT_TRANSLATE_NOOP("CaseDialog", "已一次性告知"),
    CaseState.REJECTED: QT_TRANSLATE_NOOP("CaseDialog", "不予受理"),
    CaseState.CONCLUDED: QT_TRANSLATE_NOOP("CaseDialog", "已办结"),
    CaseState.TERMINATED: QT_TRANSLATE_NOOP("CaseDialog", "已终止"),
}
SOURCES = {
    Source.APPLICANT: QT_TRANSLATE_NOOP("CaseDialog", "申请人提交"),
    Source.SHARED: QT_TRANSLATE_NOOP("CaseDialog", "数据共享免提交"),
    Source.E_LICENCE: QT_TRANSLATE_NOOP("CaseDialog", "电子证照免提交"),
    Source.PRODUCED: QT_TRANSLATE_NOOP("CaseDialog", "前序事项办理结果免提交"),
}


def tr(text: str) -> str:
    return QCoreApplication.translate("CaseDialog", text)


def fact(bundle_code: str | None, kind: str, code: str, chinese: str) -> str:
    """An item's, material's or department's name (``kind``) in the screen's language: the
    catalog's English name with ``--lang en`` where it has one, else the Chinese."""
    if not is_english():
        return chinese
    return in_language(chinese, fact_names(bundle_code).get(f"{kind}:{code}", ("", ""))[1])


def state(value: str) -> str:
    return tr(STATES[CaseState(value)])


def source(value: str) -> str:
    try:
        return tr(SOURCES[Source(value)])
    except ValueError:
        return value


def bundle_title(name: str, audience: Audience) -> str:
    """The 一件事 with whom it is for: 新生儿出生一件事（个人）."""
    if audience is Audience.COMPANY:
        return tr(QT_TRANSLATE_NOOP("CaseDialog", "%1（企业）")).replace("%1", name)
    return tr(QT_TRANSLATE_NOOP("CaseDialog", "%1（个人）")).replace("%1", name)


def need(required: bool, key: bool, form: str) -> str:
    """The 要求 cell: required or optional, key, and the catalog's form (原件1份)."""
    text = (
        tr(QT_TRANSLATE_NOOP("CaseDialog", "必需"))
        if required
        else tr(QT_TRANSLATE_NOOP("CaseDialog", "可选"))
    )
    if key:
        text += " · " + tr(QT_TRANSLATE_NOOP("CaseDialog", "关键"))
    return text + (f" · {form}" if form else "")


def reasons(option: DecisionOption) -> str:
    """Why a decision button is off, in the screen's language."""
    return "; ".join(option.reasons_en) if is_english() else option.message_zh
