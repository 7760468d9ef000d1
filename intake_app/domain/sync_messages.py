"""Words for the sync protocol's errors (zh_CN, en), merged into messages.CATALOG."""

from __future__ import annotations

SYNC_CATALOG: dict[str, tuple[str, str]] = {
    "sync_malformed": (
        "{what}已损坏或不完整（不是有效的同步数据）",
        "The {what} is damaged or incomplete (not valid sync data)",
    ),
    "sync_field_invalid": (
        "{what}中的“{name}”无效",
        'The {what} has an invalid "{name}"',
    ),
    "sync_format_unsupported": (
        "{what}的格式不受支持，应为 {expected}",
        "The {what} has an unsupported format; expected {expected}",
    ),
    "sync_key_wrong_role": (
        "公钥文件不是{expected}的公钥",
        "The key file is not a {expected} key",
    ),
    "sync_fingerprint_mismatch": (
        "公钥文件中的指纹与公钥不符，文件可能被改动",
        "The fingerprint in the key file does not match the key; the file may have been altered",
    ),
    "sync_bad_signature": (
        "签名无效：数据被改动，或不是由登记的密钥签发",
        "Bad signature: the data was altered or not signed by the registered key",
    ),
    "sync_cannot_decrypt": (
        "无法解密：数据被改动，或不是发给本方的",
        "Cannot decrypt: the data was altered or is not addressed to us",
    ),
    "sync_envelope_mismatch": (
        "批次外层的派出所或序号与签名内容不符",
        "The batch's outer station or sequence number differs from its signed content",
    ),
    "sync_too_large": (
        "数据过大（上限 {limit}）",
        "Too large (limit {limit})",
    ),
    "sync_unknown_station": (
        "派出所 {station} 未在市中心登记",
        "Station {station} is not registered at the center",
    ),
    "sync_replayed": (
        "批次 {seq} 已接收过，未重复入库",
        "Batch {seq} was already received; nothing was stored again",
    ),
    "sync_out_of_order": (
        "批次顺序不对：收到第{seq}批，应为第{expected}批",
        "Batch out of order: got batch {seq}, expected batch {expected}",
    ),
    "sync_ack_mismatch": (
        "回执与待确认的批次不符（派出所 {station}，第{seq}批）",
        "The acknowledgement does not match a batch waiting for one (station {station}, "
        "batch {seq})",
    ),
    "sync_ack_already": (
        "第{seq}批已确认过，回执未再次应用",
        "Batch {seq} was already acknowledged; nothing changed",
    ),
    "sync_not_enrolled": (
        "尚未配置市中心：请先运行 intake-app sync enroll",
        "No center is configured yet: run intake-app sync enroll first",
    ),
    "sync_center_unreachable": (
        "无法连接市中心 {url}：网络不通或服务未运行，稍后自动重试",
        "Cannot reach the center at {url}: no network or the service is down; will retry",
    ),
    "sync_center_timeout": (
        "市中心 {url} 长时间无响应，稍后自动重试",
        "The center at {url} did not answer in time; will retry",
    ),
    "sync_center_refused": (
        "市中心拒绝：{detail}",
        "The center refused: {detail}",
    ),
    "sync_attachment_mismatch": (
        "附件 {sha256} 的内容与其哈希不符",
        "Attachment {sha256} does not match its hash",
    ),
    "sync_chunk_offset": (
        "附件 {sha256} 的分块位置不对：已有 {have} 字节",
        "Attachment {sha256}: chunk at the wrong offset; the center has {have} bytes",
    ),
    "sync_feed_stale": (
        "下发数据比已有的旧，未采用",
        "The feed is older than the one already stored; not applied",
    ),
    "sync_request_stale": (
        "请求时间 {at} 与市中心时间相差超过 {minutes} 分钟：请核对本机时钟",
        "The request time {at} is more than {minutes} minutes off the center's clock: "
        "check this computer's clock",
    ),
    "sync_feed_wrong_station": (
        "下发数据是发给派出所 {station} 的",
        "The feed is addressed to station {station}",
    ),
    "sync_url_invalid": (
        "{field}“{value}”不是有效的地址（应以 http:// 或 https:// 开头）",
        '{field} "{value}" is not a valid address (it must start with http:// or https://)',
    ),
    "center_not_initialised": (
        "市中心数据目录 {value} 尚未初始化：请运行 intake-center init",
        "The center's data folder {value} is not set up: run intake-center init",
    ),
    "center_already_initialised": (
        "市中心数据目录 {value} 已初始化",
        "The center's data folder {value} is already set up",
    ),
    "station_exists": (
        "派出所 {value} 已登记",
        "Station {value} is already registered",
    ),
}
