"""The supervisor's catalog page (目录维护): which facts of each 一件事 rest on a checked source,
marking one verified, editing one, importing and exporting whole packages, history and
rollback. Every change publishes a new version through services/catalog (audited)."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.catalog_package import VERIFIABLE
from desk_app.domain.catalog_package import facts as facts_of
from desk_app.services.catalog import upkeep, versions
from desk_app.store import Database
from desk_app.ui.common import theme
from desk_app.ui.common.i18n import in_documents, is_english, listed
from desk_app.ui.common.tasks import TaskRunner, user_message
from desk_app.ui.supervisor.tables import table


def _summary(path: str, value: Any) -> str:
    """One line saying what a fact is (its name and, for an item, its limit)."""
    if not isinstance(value, dict):
        return ""
    text = str(value.get("name") or value.get("text") or value.get("question") or "")
    if path.startswith("items.") and value.get("time_limit_days"):
        text += f" · {value['time_limit_days']} 个工作日"
    if path == "bundle":
        text = f"{value.get('name', '')} · {value.get('batch', '')} · {value.get('document', '')}"
    return text


class CatalogPage(QWidget):
    """Bundles with their unverified counts; the selected bundle's facts; one fact's editor."""

    def __init__(self, db: Database, runner: TaskRunner) -> None:
        super().__init__()
        self.db = db
        self.runner = runner
        self._loaded_once = False
        self.version: versions.Version | None = None
        self.fact_rows: list[tuple[str, Any]] = []
        self.head = QLabel()
        self.head.setStyleSheet("font-size: 13pt;")
        self.head.setWordWrap(True)
        self.unverified_only = QCheckBox(self.tr("只看有未核实内容的"))
        self.unverified_only.toggled.connect(self._fill_bundles)
        self.export_button = QPushButton(self.tr("导出…"))
        self.export_button.clicked.connect(self.export)
        self.import_button = QPushButton(self.tr("导入…"))
        self.import_button.clicked.connect(self.import_)
        self.history_button = QPushButton(self.tr("历史与回滚…"))
        self.history_button.clicked.connect(self.show_history)
        self.bundles = table(
            [self.tr("一件事"), self.tr("批次"), self.tr("清单"), self.tr("未核实")], stretch=0
        )
        self.bundles.setWordWrap(False)
        self.bundles.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.bundles.itemSelectionChanged.connect(self._bundle_chosen)
        self.facts = table(
            [self.tr("事实"), self.tr("内容"), self.tr("核实"), self.tr("依据")], stretch=1
        )
        # The source can be long: a fixed share of the width, elided, the whole in its tooltip.
        self.facts.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        self.facts.setColumnWidth(3, 160)
        self.facts.setWordWrap(False)
        self.facts.itemSelectionChanged.connect(self._fact_chosen)
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText(self.tr("选中一条事实后在此修改（JSON）"))
        self.source = QLineEdit()
        self.source.setPlaceholderText(self.tr("依据：文号或网址，及日期（必填）"))
        self.checked = QCheckBox(self.tr("已与依据核对（发布为已核实）"))
        self.verify_button = QPushButton(self.tr("标记已核实"))
        self.verify_button.clicked.connect(self.verify)
        self.save_button = QPushButton(self.tr("保存修改并发布"))
        self.save_button.clicked.connect(self.save)
        self.new_answer_button = QPushButton(self.tr("新增问答"))
        self.new_answer_button.clicked.connect(self.new_answer)
        self._new_path: str | None = None  # a fact being written (a new answer)
        self.status = QLabel()
        self.status.setWordWrap(True)

        tools = QHBoxLayout()
        tools.addWidget(self.head, 1)
        tools.addWidget(self.unverified_only)
        for button in (self.import_button, self.export_button, self.history_button):
            tools.addWidget(button)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.facts, 3)
        rl.addWidget(self.editor, 2)
        rl.addWidget(self.source)
        buttons = QHBoxLayout()
        buttons.addWidget(self.checked, 1)
        buttons.addWidget(self.new_answer_button)
        buttons.addWidget(self.verify_button)
        buttons.addWidget(self.save_button)
        rl.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.bundles)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([420, 900])
        lay = QVBoxLayout(self)
        lay.addLayout(tools)
        lay.addWidget(split, 1)
        lay.addWidget(self.status)

    # -- loading ------------------------------------------------------------------------------

    def load_once(self) -> None:
        if not self._loaded_once:
            self._loaded_once = True
            self.reload()

    def reload(self, keep: str | None = None) -> None:
        db = self.db

        def work() -> versions.Version:
            versions.refresh(db)
            with db.read() as s:
                return versions.current(s)

        self.runner.submit(work, lambda v: self._show(v, keep), self._failed)

    def _show(self, version: versions.Version, keep: str | None) -> None:
        self.version = version
        bundles = version.package.get("bundles", [])
        total = sum(len(self._verifiable(b)) for b in bundles)
        open_ = sum(self._unverified(b) for b in bundles)
        head = (
            self.tr("目录版本 %1 · %2 个一件事 · 未核实 %3 / %4 条事实")
            .replace("%1", version.label)
            .replace("%2", str(len(bundles)))
            .replace("%3", str(open_))
            .replace("%4", str(total))
        )
        if version.conflicts:
            head += self.tr(
                " · 待决冲突 %1 条（导入或平台下发时双方都改过，已保留本厅的）"
            ).replace("%1", str(len(version.conflicts)))
        self.head.setText(head)
        self._fill_bundles(keep=keep)

    @staticmethod
    def _verifiable(bundle: dict[str, Any]) -> list[str]:
        return [p for p in facts_of(bundle) if p.split(".", 1)[0] in VERIFIABLE]

    def _unverified(self, bundle: dict[str, Any]) -> int:
        f = facts_of(bundle)
        return sum(1 for p in self._verifiable(bundle) if not f[p].get("verified"))

    def _fill_bundles(self, *_args: Any, keep: str | None = None) -> None:
        if self.version is None:
            return
        keep = keep or self.selected_code()
        rows = [
            b
            for b in self.version.package.get("bundles", [])
            if not self.unverified_only.isChecked() or self._unverified(b)
        ]
        self.bundles.blockSignals(True)
        self.bundles.setRowCount(len(rows))
        chosen = 0
        for r, b in enumerate(rows):
            n, total = self._unverified(b), len(self._verifiable(b))
            name = b.get("name", b["code"])
            shown = b.get("name_en") or name if is_english() else name
            cells = (
                shown,
                str(b.get("batch", "")).removeprefix("national-"),
                self.tr("仅列名") if b.get("status") == "listed" else self.tr("有"),
                f"{n}/{total}",
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(str(text))
                item.setData(Qt.ItemDataRole.UserRole, b["code"])
                item.setToolTip(f"{name} ({b['code']}) · {b.get('batch', '')}")
                if c == 3 and n:
                    item.setForeground(QColor(theme.ACCENT))
                self.bundles.setItem(r, c, item)
            if b["code"] == keep:
                chosen = r
        self.bundles.blockSignals(False)
        if rows:
            self.bundles.selectRow(chosen)
            self._bundle_chosen()

    def selected_code(self) -> str | None:
        items = self.bundles.selectedItems()
        return None if not items else str(items[0].data(Qt.ItemDataRole.UserRole))

    def _bundle(self) -> dict[str, Any] | None:
        code = self.selected_code()
        if self.version is None or code is None:
            return None
        return next((b for b in self.version.package["bundles"] if b["code"] == code), None)

    def _bundle_chosen(self) -> None:
        bundle = self._bundle()
        if bundle is None:
            return
        f = facts_of(bundle)
        self.fact_rows = [(p, f[p]) for p in self._verifiable(bundle)]
        self.facts.clearSelection()  # a fact is chosen afresh: the editor shows what is chosen
        self.facts.setRowCount(len(self.fact_rows))
        disputed = {
            c["fact"]: c
            for c in (self.version.conflicts if self.version else ())
            if c["code"] == bundle["code"]
        }
        for r, (path, value) in enumerate(self.fact_rows):
            checked = value.get("verified")
            mark = f"{checked['by']} {checked['at']}" if checked else self.tr("未核实")
            if path in disputed:
                mark = self.tr("冲突：请核对后保存或标记已核实")
            for c, text in enumerate((path, _summary(path, value), mark, value.get("source", ""))):
                item = QTableWidgetItem(str(text))
                item.setToolTip(str(text))
                if c == 2:
                    colour = theme.OK if checked else theme.ACCENT
                    item.setForeground(QColor(theme.DANGER if path in disputed else colour))
                    if path in disputed:
                        item.setToolTip(
                            self.tr("平台/导入的值：")
                            + json.dumps(disputed[path]["incoming"], ensure_ascii=False)
                        )
                self.facts.setItem(r, c, item)
        self.editor.clear()

    def _fact(self) -> tuple[str, Any] | None:
        rows = {i.row() for i in self.facts.selectedItems()}
        if len(rows) != 1:
            return None
        return self.fact_rows[rows.pop()]

    def new_answer(self) -> None:
        """A knowledge-base answer written in the hall for the selected bundle."""
        code = self.selected_code()
        if code is None:
            self.status.setText(self.tr("请先选中一个一件事"))
            return
        taken = {p for p, _ in self.fact_rows}
        n = 1
        while f"answers.{code}-x{n:02d}" in taken:
            n += 1
        self.facts.clearSelection()
        self._new_path = f"answers.{code}-x{n:02d}"
        template = {
            "id": f"{code}-x{n:02d}",
            "question": "",
            "phrasings": [],
            "answer": "",
            "situations": [],
        }
        self.editor.setPlainText(json.dumps(template, ensure_ascii=False, indent=2))
        self.source.clear()
        self.status.setText(self.tr("填写问题、答复与依据后保存发布"))

    def _fact_chosen(self) -> None:
        chosen = self._fact()
        if chosen is None:
            return
        self._new_path = None
        path, value = chosen
        shown = {k: v for k, v in value.items() if k not in ("source", "verified")}
        self.editor.setPlainText(json.dumps(shown, ensure_ascii=False, indent=2))
        self.source.setText(str(value.get("source", "")))

    # -- changes ------------------------------------------------------------------------------

    def verify(self) -> None:
        chosen, code = self._fact(), self.selected_code()
        if chosen is None or code is None or self.version is None:
            self.status.setText(self.tr("请先选中一条事实"))
            return
        path, _ = chosen
        db, source, base = self.db, self.source.text(), self.version.seq
        self._submit(lambda: upkeep.verify(db, code, path, source, base_seq=base), code)

    def save(self) -> None:
        chosen, code = self._fact(), self.selected_code()
        if chosen is None and self._new_path is not None:
            chosen = (self._new_path, {})
        if chosen is None or code is None or self.version is None:
            self.status.setText(self.tr("请先选中一条事实"))
            return
        path, old = chosen
        try:
            value = json.loads(self.editor.toPlainText())
        except json.JSONDecodeError as exc:
            self.status.setText(
                self.tr("JSON 有误（第 %1 行）：").replace("%1", str(exc.lineno)) + exc.msg
            )
            return
        if path == "bundle" and isinstance(value, dict):
            # The bundle's lists are their own facts: keep them as they are.
            value = {**{k: v for k, v in old.items() if k not in value}, **value}
        db, source, base, checked = (
            self.db,
            self.source.text(),
            self.version.seq,
            self.checked.isChecked(),
        )
        self._submit(
            lambda: upkeep.edit(
                db, code, path, value, source=source, verified=checked, base_seq=base
            ),
            code,
        )

    def _submit(self, fn: Any, code: str) -> None:
        self.status.setText(self.tr("正在发布…"))
        self.runner.submit(fn, lambda r: self._published(r, code), self._failed)

    def _published(self, result: dict[str, Any], code: str) -> None:
        self.status.setStyleSheet(f"color: {theme.OK};")
        self.status.setText(self.tr("已发布版本 %1").replace("%1", str(result.get("version"))))
        self.checked.setChecked(False)
        self._new_path = None
        self.reload(keep=code)

    def _failed(self, exc: Exception) -> None:
        self.status.setStyleSheet(f"color: {theme.DANGER};")
        self.status.setText(user_message(exc))

    def export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("导出目录"), in_documents(self.tr("目录") + ".json"), "JSON (*.json)"
        )
        if not path:
            return
        db = self.db
        self.runner.submit(
            lambda: upkeep.export(db, path),
            lambda r: self.status.setText(
                self.tr("已导出版本 %1 到 %2").replace("%1", r["version"]).replace("%2", r["file"])
            ),
            self._failed,
        )

    def import_(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("导入目录"), in_documents(""), "JSON (*.json)"
        )
        if not path:
            return
        db = self.db
        self.runner.submit(
            lambda: upkeep.import_file(db, path, dry_run=True),
            lambda r: self._confirm_import(path, r),
            self._failed,
        )

    def _confirm_import(self, path: str, preview: dict[str, Any]) -> None:
        lines = [
            self.tr("新增：") + (listed(preview["added"]) or "-"),
            self.tr("删除：") + (listed(preview["removed"]) or "-"),
            self.tr("修改："),
            *(f"  {c['code']}: {', '.join(c['facts'])}" for c in preview["changed"]),
            self.tr("冲突（保留本厅的，请人工处理）："),
            *(f"  {c['code']} {c['fact']}" for c in preview["conflicts"]),
        ]
        answer = QMessageBox.question(
            self, self.tr("导入目录"), "\n".join(lines) + "\n\n" + self.tr("确认导入并发布？")
        )
        if answer != QMessageBox.StandardButton.Yes:
            self.status.setText(self.tr("未导入"))
            return
        db = self.db
        self._submit(lambda: upkeep.import_file(db, path), self.selected_code() or "")

    def show_history(self) -> None:
        code = self.selected_code()
        if code is None:
            return
        db = self.db
        self.runner.submit(lambda: upkeep.history(db, code), self._history, self._failed)

    def _history(self, h: dict[str, Any]) -> None:
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("%1 的历史").replace("%1", h["code"]))
        box.setText(
            "\n".join(
                f"{v['version']}  {v['kind']}  {v['by'] or '-'}  {v['at'] or ''}  "
                f"{', '.join(v['facts'])}"
                for v in h["versions"]
            )
        )
        choose = QComboBox()
        for v in h["versions"][1:]:
            choose.addItem(v["version"], str(v["seq"]))
        rollback = box.addButton(self.tr("回滚到所选版本"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        rollback.setEnabled(choose.count() > 0)
        layout = box.layout()
        if layout is not None:
            layout.addWidget(choose)  # type: ignore[call-arg]
        box.exec()
        if box.clickedButton() is rollback and choose.count():
            db, to = self.db, str(choose.currentData())
            self._submit(lambda: upkeep.rollback(db, to), h["code"])
