"""The language catalogue: every user-facing string, in English and Chinese.

``t(key, **params)`` formats the current language's text. The language is chosen
once at start-up (``--lang``, else the locale) with ``set_lang``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

LANGS = ("en", "zh")

# key: (English, Chinese)
MESSAGES: dict[str, tuple[str, str]] = {
    # -- days
    "day.1": ("Mon", "周一"),
    "day.2": ("Tue", "周二"),
    "day.3": ("Wed", "周三"),
    "day.4": ("Thu", "周四"),
    "day.5": ("Fri", "周五"),
    "day.6": ("Sat", "周六"),
    "day.7": ("Sun", "周日"),
    "dayname.1": ("Monday", "星期一"),
    "dayname.2": ("Tuesday", "星期二"),
    "dayname.3": ("Wednesday", "星期三"),
    "dayname.4": ("Thursday", "星期四"),
    "dayname.5": ("Friday", "星期五"),
    "dayname.6": ("Saturday", "星期六"),
    "dayname.7": ("Sunday", "星期日"),
    # -- errors (one line each; the CLI prefixes "pmweek: ")
    "error.generic": ("something went wrong", "出错了"),
    "error.title_empty": ("the title is empty", "标题不能为空"),
    "error.title_long": ("the title is longer than {limit} characters", "标题超过 {limit} 个字符"),
    "error.bad_day": ("the routine runs Monday to Friday", "例行事项只能安排在周一到周五"),
    "error.bad_date": ("'{value}' is not a date like 2026-11-23", "'{value}' 不是形如 2026-11-23 的日期"),
    "error.bad_week": ("'{value}' is not an ISO week like 2026-W48", "'{value}' 不是形如 2026-W48 的 ISO 周"),
    "error.bad_lang": ("'{value}' is not one of en, zh", "'{value}' 不是 en 或 zh"),
    "error.db_is_dir": ("database {path} is a directory, not a file", "数据库 {path} 是一个目录，不是文件"),
    "error.db_unreadable": ("cannot read database {path}: {reason}", "无法读取数据库 {path}：{reason}"),
    "error.db_not_sqlite": ("{path} is not an SQLite database; it was left untouched", "{path} 不是 SQLite 数据库，文件未被改动"),
    "error.db_missing": (
        "there is no pmweek database at {path} yet (open pmweek once, or check --db)",
        "{path} 还没有 pmweek 数据库（请先运行一次 pmweek，或检查 --db）",
    ),
    "error.db_create": ("cannot create database {path}: {reason}", "无法创建数据库 {path}：{reason}"),
    "error.db_url": ("cannot use database URL {url}: {reason}", "无法使用数据库地址 {url}：{reason}"),
    "error.db_newer": (
        "{path} was written by a newer pmweek (schema {found}, this one knows {known}); upgrade pmweek",
        "{path} 由更新版本的 pmweek 写入（结构版本 {found}，本版本支持 {known}），请升级 pmweek",
    ),
    "error.db_foreign": ("{path} holds tables that are not pmweek's; it was left untouched", "{path} 中的表不属于 pmweek，文件未被改动"),
    "error.db_open": ("cannot open database {path}: {reason}", "无法打开数据库 {path}：{reason}"),
    "error.task_gone": ("that item no longer exists (deleted elsewhere?)", "该事项已不存在（可能已在别处删除）"),
    "error.template_gone": ("that routine item no longer exists", "该例行事项已不存在"),
    "error.file_exists": ("{path} already exists; pass --force to overwrite it", "{path} 已存在；如需覆盖请加 --force"),
    "error.write_file": ("cannot write {path}: {reason}", "无法写入 {path}：{reason}"),
    # -- monthly tables: headers (Chinese as PRODUCT.md §2 writes them)
    "field.month": ("Month", "月份"),
    "field.total": ("Total opportunities", "总商机"),
    "field.valuable": ("Valuable opportunities (why)", "价值商机(说明原因)"),
    "field.churn_count": ("Churned opportunities", "流失商机数"),
    "field.churned": ("Churned users, reasons", "流失用户、原因"),
    "field.valuable_count": ("Valuable (count)", "价值商机数"),
    "field.customer": ("Customer", "用户"),
    "field.spend": ("Spend", "消费额"),
    "field.industry": ("Industry", "行业"),
    "field.influence": ("Influence", "行业影响力"),
    "field.reason": ("Why valuable", "价值原因"),
    "field.status": ("Status", "状态"),
    "field.churn_reason": ("Churn reason", "流失原因"),
    "field.campaign": ("Campaign", "运营活动"),
    "field.attention": ("Attention", "关注数"),
    "field.conversions": ("Conversions", "转化数"),
    "field.improvement": ("Improvement notes", "改进意见"),
    "field.conversion_rate": ("Conversion rate", "转化率"),
    "field.target": ("Revenue target", "营收目标"),
    "field.requirement": ("Requirement", "需求"),
    "field.go_live": ("Go-live date", "上线时间点"),
    "field.progress": ("Progress", "进度"),
    "field.days_to_go_live": ("Days to go-live", "距上线天数"),
    "field.category": ("Category", "类别"),
    "field.count": ("Tickets", "工单数"),
    "field.plan": ("Improvement plan", "改进计划"),
    "field.owner": ("Owner", "负责人"),
    "field.due": ("Due date", "截止日期"),
    "field.overdue": ("Overdue", "逾期"),
    "field.cash": ("Cash", "现金"),
    "field.gaap": ("GAAP", "gaap"),
    "field.users": ("Users", "用户数"),
    "field.instances": ("Instances", "实例数"),
    "field.forecast": ("Forecast", "预测"),
    "field.change_note": ("Explanation of the change", "变化说明"),
    "field.actions": ("Actions to drive revenue, and why", "拉动营收的action和理由"),
    "field.cash_mom": ("Cash MoM", "现金环比"),
    "field.users_mom": ("Users MoM", "用户数环比"),
    "field.instances_mom": ("Instances MoM", "实例数环比"),
    "field.forecast_gap": ("Actual − forecast", "实际−预测"),
    "field.forecast_rate": ("Actual / forecast", "预测达成率"),
    "field.cash_gaap_gap": ("Cash − GAAP", "现金−GAAP"),
    "field.record": ("Record", "记录类型"),
    "choice.open": ("open", "进行中"),
    "choice.won": ("won", "已赢单"),
    "choice.lost": ("lost", "已丢单"),
    "choice.done": ("done", "已完成"),
    "value.overdue": ("overdue", "逾期"),
    "value.spend": ("spend {value}", "消费 {value}"),
    "sheet.opportunities": ("Valuable opportunities", "价值商机"),
    "sheet.churn": ("Churned customers", "流失用户"),
    "sheet.opportunity_totals": ("Total opportunities", "总商机"),
    "sheet.campaigns": ("Campaigns", "运营活动"),
    "sheet.deals": ("DA deals", "DA 项目"),
    "sheet.tickets": ("Ticket topics", "工单"),
    "sheet.revenue": ("Revenue", "营收"),
    "book.opportunities": ("Opportunities & churn", "商机与流失"),
    "book.campaigns": ("Campaigns & conversions", "运营活动与转化"),
    "book.deals": ("DA deals", "DA 项目"),
    "book.tickets": ("Tickets", "工单"),
    "book.revenue": ("Revenue", "营收"),
    "export.month_title": ("Business tables, {month}", "{month} 业务数据"),
    "export.range": ("{first} to {last}", "{first} 至 {last}"),
    "export.all_months": ("all months", "全部月份"),
    "export.no_rows": ("_No rows._", "_无数据。_"),
    # -- monthly tables: errors and warnings
    "error.field_required": ("{field}: a value is required", "{field}：必填"),
    "error.field_int": ("{field}: '{value}' is not a whole number", "{field}：'{value}' 不是整数"),
    "error.field_money": ("{field}: '{value}' is not a number", "{field}：'{value}' 不是数字"),
    "error.field_negative": ("{field}: '{value}' cannot be negative", "{field}：'{value}' 不能为负数"),
    "error.field_month": ("{field}: '{value}' is not a month like 2026-10", "{field}：'{value}' 不是形如 2026-10 的月份"),
    "error.field_date": ("{field}: '{value}' is not a date like 2026-11-23", "{field}：'{value}' 不是有效日期（如 2026-11-23）"),
    "error.field_choice": ("{field}: '{value}' is not one of {choices}", "{field}：'{value}' 不是 {choices} 之一"),
    "error.field_long": ("{field}: longer than {limit} characters", "{field}：超过 {limit} 个字符"),
    "error.field_control": ("{field}: contains control characters", "{field}：包含控制字符"),
    "error.month_taken": (
        "{sheet} already has a row for {month}; use --replace to overwrite it",
        "{sheet}在 {month} 已有一行；如需覆盖请加 --replace",
    ),
    "error.row_gone": ("that row no longer exists (deleted elsewhere?)", "该行已不存在（可能已在别处删除）"),
    "error.undo_month_taken": ("cannot undo: that month has a row again", "无法撤销：该月份已有新的一行"),
    "error.import_failed": ("{count} line(s) refused; nothing was imported", "{count} 行有误，未导入任何数据"),
    "error.import_line": ("line {line}: {message}", "第 {line} 行：{message}"),
    "error.csv_column": ("unknown column '{column}'", "未知列 '{column}'"),
    "error.csv_record": ("unknown record type '{value}'", "未知记录类型 '{value}'"),
    "error.csv_read": ("cannot read {path}: {reason}", "无法读取 {path}：{reason}"),
    "error.csv_no_month": ("the file has no month column", "文件缺少月份列"),
    "error.month_range": ("--from {first} is after --to {last}", "--from {first} 晚于 --to {last}"),
    "error.bad_month": ("'{value}' is not a month like 2026-10", "'{value}' 不是形如 2026-10 的月份"),
    "warn.conversions_above_attention": (
        "conversions ({conversions}) are above attention ({attention})",
        "转化数（{conversions}）大于关注数（{attention}）",
    ),
    "warn.prefix": ("warning: {message}", "警告：{message}"),
    # -- command line
    "cli.description": (
        "A product manager's week: today's routine as a checklist, the monthly business tables, Markdown and CSV exports.",
        "产品经理的一周：今日例行事项清单、月度业务数据表、Markdown 与 CSV 导出。",
    ),
    "cli.db": (
        "database file or SQLAlchemy URL (default: $PMWEEK_DB, else {default})",
        "数据库文件或 SQLAlchemy 地址（默认：$PMWEEK_DB，否则 {default}）",
    ),
    "cli.date": ("act as if today were DATE (YYYY-MM-DD)", "把 DATE（YYYY-MM-DD）当作今天"),
    "cli.lang": ("language: en or zh (default: from the locale)", "界面语言：en 或 zh（默认跟随系统区域设置）"),
    "cli.version": ("show the version and exit", "显示版本号并退出"),
    "cli.commands": ("commands (none: open the app)", "子命令（不带子命令则打开应用）"),
    "cli.export": ("print data as Markdown (to standard output or -o FILE)", "以 Markdown 输出数据（标准输出或 -o FILE）"),
    "cli.export_what": ("what to export", "导出内容"),
    "cli.export_week": ("a week's checklist as Markdown", "一周的清单（Markdown）"),
    "cli.week": ("ISO week, e.g. 2026-W48 (default: the week of --date)", "ISO 周，如 2026-W48（默认：--date 所在周）"),
    "cli.output": ("write to FILE instead of standard output", "写入 FILE 而不是标准输出"),
    "cli.force": ("overwrite FILE if it exists", "FILE 已存在时覆盖"),
    "cli.export_table": ("one monthly table as Markdown (or CSV)", "以 Markdown（或 CSV）输出一张月度表"),
    "cli.export_month": ("all five tables of one month as Markdown", "以 Markdown 输出某月全部五张表"),
    "cli.book_name": ("one of: {names}", "可选：{names}"),
    "cli.month": ("the month, e.g. 2026-10 (default: the month of --date)", "月份，如 2026-10（默认：--date 所在月）"),
    "cli.from": ("first month of a range", "起始月份"),
    "cli.to": ("last month of a range", "结束月份"),
    "cli.format": ("md (GitHub Markdown table, default) or csv (UTF-8, header row)", "md（GitHub Markdown 表格，默认）或 csv（UTF-8，含表头）"),
    "cli.add": ("add one row to a monthly table", "向月度表添加一行"),
    "cli.add_what": ("tables", "数据表"),
    "cli.default_month": ("default: the month of --date", "默认：--date 所在月"),
    "cli.replace": ("overwrite the month's existing row", "覆盖该月已有的行"),
    "cli.import": ("read rows from a CSV file (all rows or none)", "从 CSV 文件导入（全部成功或全部不导入）"),
    "cli.added": ("added to {sheet} (row {id})", "已添加到{sheet}（第 {id} 行）"),
    "cli.imported": ("imported {count} row(s) from {path}", "已从 {path} 导入 {count} 行"),
    "cli.wrote": ("wrote {path}", "已写入 {path}"),
    "cli.usage": ("usage", "用法"),
    # -- export
    "export.week_title": ("Week {week} ({start} – {end})", "{week} 周（{start} – {end}）"),
    "export.done_at": ("done {stamp}", "完成于 {stamp}"),
    "export.dismissed": ("dismissed", "已搁置"),
    "export.note": ("Note", "备注"),
    "export.not_opened": (
        "_This week has not been opened yet; the list below is the routine template._",
        "_本周尚未打开，以下为例行模板。_",
    ),
    "export.no_items": ("_No items._", "_无事项。_"),
    # -- app
    "app.title": ("pmweek", "pmweek"),
    "app.loading": ("Opening your week…", "正在打开本周…"),
    "app.weekend": ("It's the weekend: showing {day}'s list.", "今天是周末：显示{day}的清单。"),
    "app.past_week_empty": ("This week was never opened in pmweek.", "这一周没有在 pmweek 中打开过。"),
    "app.carried_from": ("(from {day})", "（来自{day}）"),
    "app.last_week_day": ("last {day}", "上{day}"),
    "app.carried_header": ("Carried over", "延续事项"),
    "app.today": ("today", "今天"),
    "app.no_items": ("Nothing on this day.", "这一天没有事项。"),
    "app.saved": ("Saved", "已保存"),
    "app.error": ("Error", "错误"),
    "app.note": ("Note", "备注"),
    "app.note_placeholder": ("Type a note; it is saved as you type.", "输入备注，输入时自动保存。"),
    "app.done": ("Done", "完成"),
    "app.points": ("Sub-points", "要点"),
    "app.history": ("History", "记录"),
    "app.event.done": ("ticked", "勾选"),
    "app.event.undone": ("unticked", "取消勾选"),
    "app.event.dismissed": ("dismissed", "搁置"),
    "app.event.restored": ("restored", "恢复"),
    "app.table_link": ("Data table: {table}", "数据表：{table}"),
    "app.computed_cell": ("This figure is computed from the row; edit the cells it comes from.", "该数值由本行数据计算得出，请修改其来源单元格。"),
    "app.deleted_undo": ("Row deleted; press u to undo.", "已删除该行；按 u 撤销。"),
    "app.nothing_to_undo": ("Nothing to undo.", "没有可撤销的删除。"),
    "app.confirm_delete_row": ("Delete the row “{row}”?", "删除“{row}”这一行？"),
    "app.new_row": ("New row: {sheet}", "新增一行：{sheet}"),
    "app.pick_table": ("Open a table", "打开数据表"),
    "app.no_table": ("This item has no data table.", "该事项没有关联的数据表。"),
    "app.template_title": ("Routine template", "例行模板"),
    "app.template_hint": (
        "Changes apply to weeks opened from now on; existing weeks keep their list.",
        "修改只影响此后新打开的周，已有的周保持不变。",
    ),
    "app.item_title": ("Title", "标题"),
    "app.item_points": ("Sub-points, one per line", "要点，每行一条"),
    "app.save": ("Save", "保存"),
    "app.cancel": ("Cancel", "取消"),
    "app.confirm_delete": ("Delete “{title}” from the routine?", "从例行模板中删除“{title}”？"),
    "app.yes": ("Delete", "删除"),
    "app.new_item": ("New routine item for {day}", "为{day}新增例行事项"),
    "app.edit_item": ("Edit routine item", "编辑例行事项"),
    # -- bindings (footer and command palette)
    "key.quit": ("Quit", "退出"),
    "key.toggle": ("Tick", "勾选"),
    "key.open": ("Open", "打开"),
    "key.dismiss": ("Dismiss", "搁置"),
    "key.prev_week": ("Prev week", "上一周"),
    "key.next_week": ("Next week", "下一周"),
    "key.today": ("Today", "今天"),
    "key.prev_day": ("Prev day", "前一天"),
    "key.next_day": ("Next day", "后一天"),
    "key.template": ("Edit routine", "编辑例行模板"),
    "key.refresh": ("Refresh", "刷新"),
    "key.back": ("Back", "返回"),
    "key.add": ("Add", "新增"),
    "key.edit": ("Edit", "编辑"),
    "key.delete": ("Delete", "删除"),
    "key.move_up": ("Move up", "上移"),
    "key.move_down": ("Move down", "下移"),
    "key.save": ("Save", "保存"),
    "key.add_row": ("Add row", "新增行"),
    "key.ditto": ("Copy from above", "复制上一行"),
    "key.undo": ("Undo delete", "撤销删除"),
    "key.prev_month": ("Prev month", "上月"),
    "key.next_month": ("Next month", "下月"),
    "key.all_months": ("All months", "全部月份"),
    "key.next_sheet": ("Next sheet", "切换子表"),
    "key.set_total": ("Set month total", "填写本月总商机"),
    "key.open_table": ("Open table", "打开数据表"),
    "key.tables": ("Tables", "数据表"),
    "cmd.ditto_help": ("Fill this cell with the value of the row above", "用上一行的值填充当前单元格"),
    "cmd.tables_help": ("Opportunities, campaigns, DA deals, tickets, revenue", "商机、运营活动、DA 项目、工单、营收"),
    "cmd.toggle_help": ("Tick or untick the highlighted item", "勾选或取消当前事项"),
    "cmd.template_help": ("Add, rename, reorder or remove routine items", "新增、重命名、排序或删除例行事项"),
    "cmd.today_help": ("Jump to today's list", "回到今天的清单"),
    "cmd.prev_week_help": ("Show the previous week", "查看上一周"),
    "cmd.next_week_help": ("Show the next week", "查看下一周"),
    "cmd.refresh_help": ("Reload from the database", "从数据库重新读取"),
}

_current = "en"


def detect_lang(environ: Mapping[str, str] | None = None) -> str:
    """Chinese when the locale says so (LC_ALL, LC_MESSAGES, LANG), else English."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def set_lang(lang: str) -> None:
    global _current
    if lang not in LANGS:
        raise ValueError(lang)
    _current = lang


def get_lang() -> str:
    return _current


def t(key: str, **params: object) -> str:
    text = MESSAGES[key][LANGS.index(_current)]
    return text.format(**params) if params else text


def day_short(weekday: int) -> str:
    return t(f"day.{weekday}")


def day_long(weekday: int) -> str:
    return t(f"dayname.{weekday}")
