"""Words for problem and error codes, in zh_CN and en.

Lower layers only carry a code, a field path and parameters; this catalog turns them into a
sentence that names the field, for the CLI and (through the UI) for the officer.
"""

from __future__ import annotations

import re
from typing import Any

from intake_app.domain.instructions import FIELD_WORDS as INSTRUCTION_FIELDS
from intake_app.domain.instructions import INSTRUCTION_CATALOG
from intake_app.domain.sync_messages import SYNC_CATALOG

LANGUAGES = ("zh_CN", "en")
DEFAULT_LANG = "zh_CN"

# code -> (zh_CN, en). "{field}" is the readable field label; other names are parameters.
CATALOG: dict[str, tuple[str, str]] = {
    # Shape and format
    "not_an_object": ("{field}应为对象（JSON object）", "{field} must be a JSON object"),
    "not_a_list": ("{field}应为列表", "{field} must be a list"),
    "not_a_string": ("{field}应为文本", "{field} must be text"),
    "json_invalid": (
        "第{line}行不是有效的 JSON：{detail}",
        "Line {line} is not valid JSON: {detail}",
    ),
    "format_unsupported": (
        "{field}不支持的格式“{value}”，应为“{expected}”",
        '{field}: unsupported format "{value}", expected "{expected}"',
    ),
    "unknown_field": (
        "{field}不是已知字段，已忽略",
        "{field} is not a known field and was ignored",
    ),
    "required": ("{field}为必填项", "{field} is required"),
    "too_long": (
        "{field}过长：{length}个字符，最多{limit}个",
        "{field} is too long: {length} characters, at most {limit}",
    ),
    "unknown_code": (
        "{field}的值“{value}”不在{list_name}中",
        '{field}: "{value}" is not in the list of {list_name_en}',
    ),
    "uuid_invalid": ("{field}不是有效的 UUID：“{value}”", '{field} is not a valid UUID: "{value}"'),
    "sex_invalid": ("{field}应为 M、F 或 U", "{field} must be M, F or U"),
    # Times
    "time_format": (
        "{field}不是有效的时间“{value}”（应如 2026-11-30T14:05:00+08:00）",
        '{field} is not a valid time: "{value}" (expected e.g. 2026-11-30T14:05:00+08:00)',
    ),
    "time_no_offset": (
        "{field}“{value}”未注明时区（如 +08:00），已按北京时间读取",
        '{field} "{value}" has no UTC offset (such as +08:00) and was read as Beijing time',
    ),
    "date_format": (
        "{field}不是有效的日期“{value}”（应如 1980-05-17）",
        '{field} is not a valid date: "{value}" (expected e.g. 1980-05-17)',
    ),
    "time_in_future": ("{field}晚于当前时间", "{field} is in the future"),
    "time_too_early": (
        "{field}早于{earliest}，请核对年份",
        "{field} is before {earliest}; please check the year",
    ),
    "time_order": ("{field}不能早于{other}", "{field} cannot be earlier than {other}"),
    "transaction_before_incident": (
        "{field}早于案发开始时间，请核实",
        "{field} is before the incident began; please check",
    ),
    # Money
    "amount_format": (
        "{field}不是有效金额“{value}”（应如 1500.00）",
        '{field} is not a valid amount: "{value}" (expected e.g. 1500.00)',
    ),
    "amount_not_text": (
        '{field}应写成带引号的文本，如 "1500.00"，而不是 {value}',
        '{field} must be a quoted decimal string such as "1500.00", not {value}',
    ),
    "amount_decimals": (
        "{field}最多两位小数：“{value}”",
        '{field} has more than 2 decimals: "{value}"',
    ),
    "amount_not_positive": ("{field}必须大于零", "{field} must be greater than zero"),
    "amount_too_large": ("{field}金额过大：“{value}”", '{field} is too large: "{value}"'),
    # Identity documents
    "id_length": (
        "{field}位数不对：应为18位（或旧版15位）",
        "{field} has the wrong length: 18 digits (or 15 for old cards) expected",
    ),
    "id_chars": (
        "{field}含有无效字符：只能是数字，最后一位可为 X",
        "{field} has invalid characters: digits only, the last may be X",
    ),
    "id_birth_date": ("{field}中的出生日期无效", "{field} holds an impossible birth date"),
    "id_checksum": (
        "{field}校验位错误，请逐位核对",
        "{field} has a wrong check character; please check each digit",
    ),
    "id_area_unknown": (
        "{field}的地区码未能识别（可能是新设或已撤销的地区），请核实",
        "{field} has an area code that is not recognised (new or renamed area?); please check",
    ),
    "id_birth_mismatch": (
        "{field}与证件号码中的出生日期不一致",
        "{field} does not match the birth date in the ID number",
    ),
    "id_sex_mismatch": (
        "{field}与证件号码中的性别不一致",
        "{field} does not match the sex encoded in the ID number",
    ),
    "birth_in_future": ("{field}晚于今天", "{field} is after today"),
    # Phones, cards, identifiers
    "phone_unusual": (
        "{field}不是常见的手机号码（可能是座机或境外号码），请核实",
        "{field} is not a usual mobile number (landline or foreign?); please check",
    ),
    "identifier_format": (
        "{field}应写作“类别:值”，类别为{kinds}之一，收到“{value}”",
        '{field} must be KIND:VALUE with KIND one of {kinds}; got "{value}"',
    ),
    "phone_chars": ("{field}不是电话号码：“{value}”", '{field} is not a phone number: "{value}"'),
    "luhn_failed": (
        "{field}未通过银行卡校验（对公账户或存折可忽略），请核实",
        "{field} fails the card check digit (fine for corporate or passbook accounts); "
        "please check",
    ),
    "payee_bank_suggested": (
        "{field}：按卡号判断可能是“{bank}”",
        '{field}: the card number suggests "{bank}"',
    ),
    "payee_bank_mismatch": (
        "{field}“{given}”与卡号所属银行“{bank}”不一致，请核实",
        '{field} "{given}" differs from the card\'s issuer "{bank}"; please check',
    ),
    "email_format": (
        "{field}不像电子邮箱地址，请核实",
        "{field} does not look like an e-mail address",
    ),
    "account_chars": (
        "{field}含有无效字符：“{value}”",
        '{field} has invalid characters: "{value}"',
    ),
    # Cases and numbers
    "case_not_found": ("找不到案件“{value}”", 'No case "{value}"'),
    "case_no_invalid": (
        "案件编号“{value}”无效（校验位不符或格式错误），请逐位核对",
        'Case number "{value}" is not valid (format or check digit); please check each digit',
    ),
    "out_of_range": (
        "{field}应在{low}到{high}之间（现为{value}）",
        "{field} must be between {low} and {high} (it is {value})",
    ),
    "draft_not_found": ("找不到草稿“{value}”", 'No draft "{value}"'),
    "draft_closed": (
        "草稿“{value}”已{status_zh}，不能再修改",
        'Draft "{value}" is already {status} and cannot be changed',
    ),
    "draft_not_yours": (
        "草稿“{value}”属于其他民警",
        'Draft "{value}" belongs to another officer',
    ),
    "case_voided": (
        "案件“{value}”已作废，不能再修改",
        'Case "{value}" is void and cannot be changed',
    ),
    "uuid_conflict": (
        "{field}“{value}”已用于内容不同的另一案件；如需修改请使用 case revise",
        '{field} "{value}" already belongs to a case with other content; '
        "use case revise to change it",
    ),
    "revision_unchanged": (
        "修改内容与当前版本相同，未生成新版本",
        "Nothing changed; no revision was made",
    ),
    "void_reason_required": (
        "{field}为必填项：请写明作废原因",
        "{field} is required: give the reason",
    ),
    "sequence_exhausted": ("{value}年的案件编号已用尽", "Case numbers for {value} are used up"),
    # Attachments
    "attachment_too_large": (
        "{field}文件过大：{size}字节，上限为{limit}字节（{limit_mb} MB）",
        "{field} is too large: {size} bytes, the limit is {limit} bytes ({limit_mb} MB)",
    ),
    "attachment_path_outside": (
        "{field}“{value}”须为导入文件所在文件夹内的相对路径",
        '{field} "{value}" must be a relative path inside the import file\'s folder',
    ),
    "attachment_missing": ("{field}找不到文件“{value}”", '{field}: file "{value}" not found'),
    "attachment_hash_mismatch": (
        "{field}文件内容与 sha256 不符",
        "{field}: the file's content does not match its sha256",
    ),
    "attachment_not_stored": (
        "{field}的文件（sha256 {value}）不在附件库中",
        "{field}: the file with sha256 {value} is not in the attachment store",
    ),
    # Station, officers, login
    "not_initialised": (
        "数据目录“{value}”尚未初始化，请先运行 intake-app init",
        'The data folder "{value}" is not set up; run intake-app init first',
    ),
    "already_initialised": (
        "数据目录“{value}”已经初始化过",
        'The data folder "{value}" is already set up',
    ),
    "station_code_invalid": (
        "{field}应为12位数字的机构代码：“{value}”",
        '{field} must be the 12-digit organisation code: "{value}"',
    ),
    "badge_invalid": (
        "{field}应为4到12位数字：“{value}”",
        '{field} must be 4 to 12 digits: "{value}"',
    ),
    "role_invalid": (
        "{field}应为 officer、supervisor 或 admin",
        "{field} must be officer, supervisor or admin",
    ),
    "password_too_short": (
        "{field}太短：至少{limit}个字符",
        "{field} is too short: at least {limit} characters",
    ),
    "password_missing": (
        "未提供密码：请设置环境变量 {value} 或在终端中输入",
        "No password given: set {value} or type it at the prompt",
    ),
    "officer_exists": ("警号“{value}”已存在", 'Badge "{value}" already exists'),
    "login_failed": ("警号或密码错误", "Wrong badge or password"),
    "officer_inactive": ("警号“{value}”已停用", 'Badge "{value}" is disabled'),
    "permission_denied": (
        "警号“{value}”无权执行此操作（需要{role}权限）",
        'Badge "{value}" may not do this (needs the {role} role)',
    ),
    "no_key_slot": (
        "警号“{value}”在本机还没有解锁密钥：请先由另一位民警登录，或请管理员重设该警号的密码",
        'Badge "{value}" has no key on this desk yet: another officer must log in first, or an '
        "administrator resets this badge's password",
    ),
    "login_delayed": (
        "连续{count}次登录失败，请{seconds}秒后再试",
        "{count} failed logins in a row: try again in {seconds} seconds",
    ),
    "officer_remove_self": (
        "不能删除自己的账号（警号“{value}”）",
        'You cannot remove your own account (badge "{value}")',
    ),
    "officer_unknown": (
        "警号“{value}”不存在或已停用",
        'Badge "{value}" does not exist or is disabled',
    ),
    "recovery_key_wrong": ("恢复密钥不正确", "The recovery key is wrong"),
    "recovery_needs_admin": (
        "恢复密钥只能为在用的管理员重设密码，警号“{value}”不是",
        "The recovery key resets the password of an active administrator; "
        'badge "{value}" is not one',
    ),
    "export_needs_supervisor": (
        "导出需要所长（supervisor）或管理员权限，警号“{value}”没有",
        'Exports need the supervisor or admin role; badge "{value}" has neither',
    ),
    # Encryption
    "store_locked": (
        "数据已加密，尚未解锁：请用 --officer 警号登录（密码取自 INTAKE_PASSWORD）"
        "后再查看“{value}”中的内容",
        'The data in "{value}" is encrypted and locked: log in with --officer BADGE (password '
        "from INTAKE_PASSWORD) to see it",
    ),
    "database_tampered": (
        "数据库文件“{value}”被改动或损坏，无法用本站的密钥打开；请从备份恢复",
        'The database file "{value}" was altered or is damaged: it does not open with this '
        "station's key; restore a backup",
    ),
    "keyring_missing": (
        "找不到密钥文件“{value}”：没有它，加密的数据库无法打开",
        'The keyring "{value}" is missing: the encrypted database cannot be opened without it',
    ),
    "keyring_invalid": (
        "密钥文件“{value}”无法读取：{detail}",
        'The keyring "{value}" cannot be read: {detail}',
    ),
    "store_not_encrypted": (
        "“{value}”中的数据库尚未加密：请先登录一次完成加密",
        'The database in "{value}" is not encrypted yet: log in once to encrypt it',
    ),
    "attachment_tampered": (
        "附件文件“{value}”被改动或损坏",
        'The attachment file "{value}" was altered or is damaged',
    ),
    "encryption_failed": (
        "加密数据库时核对失败（{value}）：原数据库未改动。{detail}",
        "Encrypting the database failed its check ({value}); the plain database is unchanged. "
        "{detail}",
    ),
    "backup_key_wrong": (
        "无法打开备份“{value}”：警号或密码（或恢复密钥）不正确",
        'The backup "{value}" does not open: wrong badge or password (or recovery key)',
    ),
    # Store
    "database_locked": (
        "数据库正被其他程序占用，请稍后再试",
        "The database is busy in another program; try again shortly",
    ),
    "database_corrupt": (
        "数据库文件“{value}”已损坏或不是本系统的数据库",
        '"{value}" is damaged or not a desk database',
    ),
    "schema_too_new": (
        "数据库由更新版本的程序创建（{value}），请升级本程序",
        "The database was made by a newer version ({value}); upgrade this program",
    ),
    "backup_invalid": (
        "“{value}”不是有效的备份文件：{detail}",
        '"{value}" is not a valid backup: {detail}',
    ),
    "file_unreadable": ("无法读取文件“{value}”：{detail}", 'Cannot read "{value}": {detail}'),
    # Dashboard: statistics, leads, prevention log, seized-list matching (issue 7)
    "not_a_number": (
        "{field}应为整数（现为“{value}”）",
        '{field} must be a whole number ("{value}")',
    ),
    "range_reversed": (
        "{field}早于开始日期{first}",
        "{field} is before the first day, {first}",
    ),
    "range_too_long": (
        "{field}：日期范围最多{limit}天",
        "{field}: a range is at most {limit} days",
    ),
    "month_format": (
        "{field}不是有效的月份“{value}”（应如 2026-11）",
        '{field} is not a valid month: "{value}" (expected e.g. 2026-11)',
    ),
    "list_format": (
        "{field}“{value}”不是 CSV 或 XLSX 文件",
        '{field} "{value}" is not a CSV or XLSX file',
    ),
    "record_not_found": ("找不到{field}“{value}”", 'No {field} "{value}"'),
    "record_exists": ("{field}“{value}”已登记", '{field} "{value}" is already registered'),
    "list_empty": (
        "{field}“{value}”中没有卡号或账号",
        '{field} "{value}" holds no card or account numbers',
    ),
    # Printed documents
    "char_not_in_font": (
        "{field}中的字符“{char}”（{codepoint}）不在打印字体中，本机也没有含该字的字体，无法打印。"
        "请把含该字的 TrueType 字体（如 SimSun-ExtB、花园明朝）放入数据目录的 fonts 文件夹后重试",
        '{field}: the character "{char}" ({codepoint}) is not in the printing font and no font '
        "on this computer has it, so it cannot be printed. Put a TrueType font that has it "
        "(such as SimSun-ExtB or HanaMin) in the data folder's fonts folder and try again",
    ),
    "receipt_already_printed": (
        "案件“{value}”的受案回执已打印过{count}次；再次打印须作为补打（命令行加 --reprint）",
        'The receipt of case "{value}" was printed {count} time(s) before; print it again '
        "as a reprint (--reprint on the command line)",
    ),
    "receipt_not_printed": (
        "案件“{value}”的受案回执尚未打印过，不能补打；请直接打印",
        'The receipt of case "{value}" was never printed, so it cannot be reprinted; print it',
    ),
    "receipt_case_voided": (
        "案件“{value}”已作废，不能打印受案回执",
        'Case "{value}" is void: no receipt can be printed for it',
    ),
    "receipt_does_not_fit": (
        "{field}中“{copy}”的内容太多，一页 A4 纸的一半放不下；请缩短文字或减少字段",
        '{field}: the copy "{copy}" holds too much to fit half an A4 page; '
        "shorten its texts or list fewer fields",
    ),
    "station_secret_missing": (
        "本所的{field}缺失，无法生成验证码；请从备份恢复",
        "The station's {field} is missing, so no verification code can be made; restore a backup",
    ),
    "qr_payload_invalid": (
        "扫描到的{field}内容不是本系统的受案回执：“{value}”",
        'The scanned {field} is not from a receipt of this desk: "{value}"',
    ),
    "qr_text_too_long": (
        "{field}内容过长：{length} 个字符，最多 {limit} 个",
        "The {field} text is too long: {length} characters, at most {limit}",
    ),
    "barcode_text_invalid": (
        "{field}只能包含英文字母、数字和常用符号：“{value}”",
        'The {field} can hold only ASCII letters, digits and common signs: "{value}"',
    ),
    "template_json_invalid": (
        "{field}不是有效的 JSON（第{line}行）：{detail}",
        "{field} is not valid JSON (line {line}): {detail}",
    ),
    "template_key_missing": ("{field}缺少“{key}”", '{field} lacks "{key}"'),
    "template_key_unknown": (
        "{field}中的“{key}”不是模板的键（拼写错误？）",
        '{field}: "{key}" is not a template key (misspelt?)',
    ),
    "template_value_invalid": (
        "{field}中的“{key}”应为{expected_zh}",
        '{field}: "{key}" must be {expected}',
    ),
    "template_name_unknown": (
        "{field}中的“{key}”的值“{value}”无效，可选：{allowed}",
        '{field}: "{key}" is "{value}", which is not one of: {allowed}',
    ),
    "template_placeholder_unknown": (
        "{field}中的“{key}”使用了未知的占位符“{{{name}}}”，可用：{allowed}",
        '{field}: "{key}" uses the unknown placeholder "{{{name}}}"; available: {allowed}',
    ),
    "template_braces": (
        "{field}中的“{key}”花括号不成对（要印出花括号请写成 {{{{ 和 }}}}）",
        '{field}: "{key}" has unmatched braces (write {{{{ and }}}} for a printed brace)',
    ),
    # Stop-payment and freezing (domain/stop_payment.py)
    "sp_outcome_unknown": (
        "{field}“{value}”不是已知的止付结果，可选：{allowed}",
        '{field} "{value}" is not a known outcome; one of: {allowed}',
    ),
    "sp_outcome_not_allowed": (
        "{field}：当前状态为“{state}”，不能登记“{outcome}”（可登记：{allowed}）",
        '{field}: the item is "{state}"; "{outcome}" cannot follow (allowed: {allowed})',
    ),
    "sp_freeze_without_stop": (
        "{field}：未止付不能冻结（当前状态为“{state}”），请先登记止付成功",
        '{field}: no freeze without a stop (the item is "{state}"); record the stop first',
    ),
    "sp_stop_limit": (
        "{field}：已经续止付过一次，不能再次止付，请办理冻结",
        "{field}: the account was already stopped twice; freeze it instead",
    ),
    "sp_approval_required": (
        "{field}为必填项：冻结一年须经市级审批，请填写审批文号",
        "{field} is required: a one-year freeze needs city-level approval; give its reference",
    ),
    "sp_freeze_lapsed": (
        "{field}晚于冻结到期时间 {until}：冻结已失效，不能续冻",
        "{field} is after the freeze ended at {until}: a lapsed freeze cannot be renewed",
    ),
    "sp_reason_unknown": (
        "{field}“{value}”无效，可选：{allowed}",
        '{field} "{value}" is not valid; one of: {allowed}',
    ),
    "sp_reason_not_expected": (
        "{field}只用于“未成功”，不用于“{outcome}”",
        '{field} goes only with "failed", not with "{outcome}"',
    ),
    "sp_time_before_transfer": (
        "{field}早于转账时间 {transfer_at}",
        "{field} is before the transfer at {transfer_at}",
    ),
    "sp_time_before_previous": (
        "{field}早于上一条结果的时间 {previous}",
        "{field} is before the previous outcome at {previous}",
    ),
    "sp_amount_not_expected": (
        "{field}：“{outcome}”不填金额",
        '{field}: "{outcome}" takes no amount',
    ),
    "sp_amount_over_transferred": (
        "{field}{amount}超过转账金额{transferred}",
        "{field} {amount} exceeds the {transferred} transferred",
    ),
    "sp_amount_over_frozen": (
        "{field}{amount}超过冻结金额{frozen}",
        "{field} {amount} exceeds the {frozen} frozen",
    ),
    "sp_item_not_found": ("找不到止付事项“{value}”", 'No stop-payment item "{value}"'),
    "sp_item_inactive": (
        "止付事项“{value}”对应的交易已从案件中删除",
        'The transaction of stop-payment item "{value}" is no longer in the case',
    ),
    "sp_no_items": (
        "案件 {value} 没有载明收款账户的交易，无需止付",
        "Case {value} has no transaction naming a payee account: nothing to stop",
    ),
}
CATALOG.update(SYNC_CATALOG)  # the sync protocol's words (domain/sync_messages.py)
CATALOG.update(INSTRUCTION_CATALOG)  # outcomes of the center's instructions

_FIELD_WORDS: dict[str, tuple[str, str]] = {
    "reported_at": ("报案时间", "time of report"),
    "source": ("案件来源", "case source"),
    "reporter": ("报案人", "reporter"),
    "victim": ("受害人", "victim"),
    "incident": ("案情", "incident"),
    "transactions": ("交易", "transaction"),
    "identifiers": ("嫌疑人线索", "suspect identifier"),
    "attachments": ("证据附件", "attachment"),
    "name": ("姓名", "name"),
    "sex": ("性别", "sex"),
    "birth_date": ("出生日期", "birth date"),
    "id_type": ("证件类型", "ID type"),
    "id_number": ("证件号码", "ID number"),
    "phone": ("联系电话", "phone"),
    "address": ("住址", "address"),
    "occupation": ("职业", "occupation"),
    "groups": ("重点人群", "target group"),
    "occurred_from": ("案发开始时间", "start of incident"),
    "occurred_to": ("案发结束时间", "end of incident"),
    "discovered_at": ("发现被骗时间", "time discovered"),
    "place": ("案发地点", "place"),
    "fraud_type": ("诈骗类型", "fraud type"),
    "contact_channel": ("联系方式", "contact channel"),
    "narrative": ("简要案情", "narrative"),
    "at": ("转账时间", "time"),
    "amount": ("金额", "amount"),
    "method": ("支付方式", "method"),
    "payer_bank": ("付款银行", "payer bank"),
    "payer_account": ("付款账号", "payer account"),
    "payee_name": ("收款户名", "payee name"),
    "payee_bank": ("收款银行", "payee bank"),
    "payee_account": ("收款账号", "payee account"),
    "serial_no": ("交易流水号", "serial number"),
    "kind": ("类别", "kind"),
    "value": ("内容", "value"),
    "note": ("备注", "note"),
    "media_type": ("文件类型", "media type"),
    "sha256": ("SHA-256", "SHA-256"),
    "path": ("文件路径", "file path"),
    "uuid": ("UUID", "UUID"),
    "format": ("格式", "format"),
    "reason": ("作废原因", "reason"),
    "station_code": ("派出所机构代码", "station code"),
    "station_name": ("派出所名称", "station name"),
    "badge": ("警号", "badge"),
    "role": ("角色", "role"),
    "password": ("密码", "password"),
    "case_no": ("案件编号", "case number"),
    "draft": ("草稿", "draft"),
    "idle_lock_minutes": ("无操作自动锁定时间（分钟）", "minutes idle before locking"),
    "receipt_template": ("回执模板", "receipt template"),
    "received_by": ("受案民警", "receiving officer"),
    "printed_by": ("打印民警", "printing officer"),
    "station_secret": ("验证密钥", "verification secret"),
    "verification_code": ("验证码", "verification code"),
    "qr": ("二维码", "QR code"),
    "barcode": ("条形码", "barcode"),
    "received_at": ("接收时间", "time received"),
    "source_detail": ("来源单位", "source detail"),
    "summary": ("线索摘要", "summary"),
    "lead": ("线索", "lead"),
    "prevention": ("宣防活动", "prevention event"),
    "held_on": ("活动日期", "date held"),
    "venue": ("活动地点", "place"),
    "target_group": ("宣传对象", "target group"),
    "audience": ("受众人数", "audience"),
    "notes": ("备注", "notes"),
    "date_from": ("开始日期", "first day"),
    "date_to": ("结束日期", "last day"),
    "month": ("月份", "month"),
    "seized_list": ("查获卡号清单", "seized list"),
    "outcome": ("止付结果", "outcome"),
    "outcome_at": ("结果时间", "time of the outcome"),
    "fail_reason": ("未成功原因", "reason for failure"),
    "approval": ("审批文号", "approval reference"),
    "item": ("止付事项", "stop-payment item"),
}

ROLE_WORDS: dict[str, tuple[str, str]] = {
    "officer": ("民警", "officer"),
    "supervisor": ("带班领导", "supervisor"),
    "admin": ("管理员", "administrator"),
}


STATUS_WORDS: dict[str, tuple[str, str]] = {
    "draft": ("草稿", "Draft"),
    "registered": ("已受案", "Registered"),
    "voided": ("已作废", "Void"),
}


OUTCOME_WORDS: dict[str, tuple[str, str]] = {
    "pending": ("待申请", "not yet requested"),
    "requested": ("已申请止付", "requested"),
    "stopped": ("止付成功", "stopped"),
    "stopped_again": ("续止付", "stopped again"),
    "failed": ("未成功", "failed"),
    "frozen": ("已冻结", "frozen"),
    "freeze_renewed": ("已续冻", "freeze renewed"),
    "released": ("已解除", "released"),
    "returned": ("已返还", "returned"),
}

FAIL_REASON_WORDS: dict[str, tuple[str, str]] = {
    "no_match": ("户名、账号、金额或时间不符", "no match (name, account, amount or time)"),
    "withdrawn": ("资金已被转走", "already withdrawn"),
    "account_closed": ("账户已销户", "account closed"),
    "bank_refused": ("银行未予受理", "refused by the bank"),
    "other": ("其他原因", "other"),
}


_FIELD_WORDS.update(INSTRUCTION_FIELDS)


def outcome_label(code: str, lang: str = DEFAULT_LANG) -> str:
    pair = OUTCOME_WORDS.get(code) or FAIL_REASON_WORDS.get(code)
    return code if pair is None else pair[0] if lang == "zh_CN" else pair[1]


def status_label(status: str, lang: str = DEFAULT_LANG) -> str:
    pair = STATUS_WORDS.get(status)
    return status if pair is None else pair[0] if lang == "zh_CN" else pair[1]


def role_label(role: str, lang: str = DEFAULT_LANG) -> str:
    pair = ROLE_WORDS.get(role)
    return role if pair is None else pair[0] if lang == "zh_CN" else pair[1]


_PART = re.compile(r"^([a-z_]+)(?:\[(\d+)\])?$")


def field_label(path: str, lang: str = DEFAULT_LANG) -> str:
    """ "transactions[1].payee_account" -> "交易2·收款账号" / "transaction 2 · payee account"."""
    if not path:
        return ""
    zh = lang == "zh_CN"
    words = []
    for part in path.split("."):
        match = _PART.match(part)
        if not match:
            words.append(part)
            continue
        name, index = match.groups()
        pair = _FIELD_WORDS.get(name)
        word = (pair[0] if zh else pair[1]) if pair else name
        if index is not None:
            word = f"{word}{int(index) + 1}" if zh else f"{word} {int(index) + 1}"
        words.append(word)
    return "·".join(words) if zh else " · ".join(words)


def render(code: str, lang: str = DEFAULT_LANG, *, field: str = "", **params: Any) -> str:
    """The sentence for a code, naming the field. Unknown codes still say something useful."""
    pair = CATALOG.get(code)
    label = field_label(field, lang) or ("该项" if lang == "zh_CN" else "This value")
    if pair is None:
        return f"{label}: {code}"
    template = pair[0] if lang == "zh_CN" else pair[1]
    values = {k: v for k, v in params.items()}
    if isinstance(values.get("role"), str):
        values["role"] = role_label(values["role"], lang)
    for key in ("state", "outcome"):
        if isinstance(values.get(key), str):
            values[key] = outcome_label(values[key], lang)
    if "other" in values and isinstance(values["other"], str):
        values["other"] = field_label(values["other"], lang)
    try:
        text = template.format(field=label, **values)
    except (KeyError, IndexError):
        text = f"{label}: {code}"
    if lang != "zh_CN" and text[:1].islower():
        text = text[0].upper() + text[1:]
    return text
