<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Fraud Intake Desk</source>
        <translation>关于反诈受案台</translation>
    </message>
    <message>
        <source>Fraud Intake Desk</source>
        <translation>反诈受案台</translation>
    </message>
    <message>
        <source>Version {version}</source>
        <translation>版本 {version}</translation>
    </message>
    <message>
        <source>The desk is built from the parts below, each under its own licence; select one to read its full licence text. Qt and PySide6 are used unmodified as shared libraries under the GNU LGPL version 3: a station may replace them with its own build of the same version.</source>
        <translation>本软件由以下组件构成，各组件按其自身的许可协议使用；选中一项即可阅读其许可协议全文。Qt 和 PySide6 以未经修改的共享库形式、依照 GNU LGPL 第 3 版使用：派出所可以用自行构建的同一版本替换它们。</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>组件</translation>
    </message>
    <message>
        <source>What it is</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>许可协议</translation>
    </message>
    <message>
        <source>Programming language and its standard library</source>
        <translation>编程语言及其标准库</translation>
    </message>
    <message>
        <source>User interface toolkit and its Python binding</source>
        <translation>界面工具包及其 Python 绑定</translation>
    </message>
    <message>
        <source>Chinese font for the screen and printed PDFs</source>
        <translation>屏幕显示和打印 PDF 所用的中文字体</translation>
    </message>
    <message>
        <source>Bank card numbers to banks (suggests the payee bank)</source>
        <translation>银行卡号与发卡行对照表（用于提示收款银行）</translation>
    </message>
    <message>
        <source>Python library</source>
        <translation>Python 库</translation>
    </message>
    <message>
        <source>{name} ships no separate licence file; its licence is {licence}.</source>
        <translation>{name} 未附带单独的许可协议文件；其许可协议为 {licence}。</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
</context>
<context>
    <name>CaseTableModel</name>
    <message>
        <source>{case_no}: urgent, stop-payment requested in the last 48 hours</source>
        <translation>{case_no}：紧急，48小时内已申请止付</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>案件编号</translation>
    </message>
    <message>
        <source>Reported at</source>
        <translation>报案时间</translation>
    </message>
    <message>
        <source>Reporter</source>
        <translation>报案人</translation>
    </message>
    <message>
        <source>Fraud type</source>
        <translation>诈骗类型</translation>
    </message>
    <message>
        <source>Total loss</source>
        <translation>损失总额</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>CaseView</name>
    <message>
        <source>{count} bytes</source>
        <translation>{count}字节</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Show full numbers</source>
        <translation>显示完整号码</translation>
    </message>
    <message>
        <source>Show this case&apos;s ID, phone and account numbers in full. The audit log records who saw them and when.</source>
        <translation>显示本案的身份证号、电话和账号全文。审计日志会记录查看人和时间。</translation>
    </message>
    <message>
        <source>Revise</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Void…</source>
        <translation>作废…</translation>
    </message>
    <message>
        <source>Print receipt</source>
        <translation>打印受案回执</translation>
    </message>
    <message>
        <source>Print form</source>
        <translation>打印受案登记表</translation>
    </message>
    <message>
        <source>Print the case registration form of the revision shown</source>
        <translation>打印当前显示版本的受案登记表</translation>
    </message>
    <message>
        <source>Stop-payment sheet</source>
        <translation>止付申请表</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>派出所</translation>
    </message>
    <message>
        <source>Receiving officer</source>
        <translation>受案民警</translation>
    </message>
    <message>
        <source>Registered at</source>
        <translation>受案时间</translation>
    </message>
    <message>
        <source>Last revised</source>
        <translation>最后修改</translation>
    </message>
    <message>
        <source>Revisions</source>
        <translation>版本记录</translation>
    </message>
    <message>
        <source>Changes from the previous revision</source>
        <translation>与上一版相比的改动</translation>
    </message>
    <message>
        <source>Voided {when} by {who}. Reason: {reason}</source>
        <translation>已于{when}由{who}作废。原因：{reason}</translation>
    </message>
    <message>
        <source>A void case cannot be revised</source>
        <translation>已作废的案件不能修改</translation>
    </message>
    <message>
        <source>Open the report form on this case</source>
        <translation>在报案表中修改本案件</translation>
    </message>
    <message>
        <source>This case is already void</source>
        <translation>本案件已作废</translation>
    </message>
    <message>
        <source>Void this case with a reason</source>
        <translation>填写原因并作废本案件</translation>
    </message>
    <message>
        <source>Only a supervisor or an administrator can void a case</source>
        <translation>只有带班领导或管理员可以作废案件</translation>
    </message>
    <message>
        <source>A void case gets no receipt</source>
        <translation>已作废的案件不出具受案回执</translation>
    </message>
    <message>
        <source>Print the receipt for the reporter</source>
        <translation>为报案人打印受案回执</translation>
    </message>
    <message>
        <source>Revision {number}</source>
        <translation>第{number}版</translation>
    </message>
    <message>
        <source>(current)</source>
        <translation>（当前）</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>受案登记</translation>
    </message>
    <message>
        <source>Showing revision {shown} of {total}, not the current one; select revision {total} for the case as it stands.</source>
        <translation>正在查看第{shown}版（共{total}版），不是当前版本；选择第{total}版可查看案件现状。</translation>
    </message>
    <message>
        <source>Revision 1 is the case as registered; there is nothing before it.</source>
        <translation>第1版即受案登记时的案件，没有更早的版本。</translation>
    </message>
    <message>
        <source>Nothing changed in this revision.</source>
        <translation>本版没有改动。</translation>
    </message>
    <message>
        <source>Revision {number} changed {count} field(s):</source>
        <translation>第{number}版改动了{count}项：</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报案信息</translation>
    </message>
    <message>
        <source>Reporter</source>
        <translation>报案人</translation>
    </message>
    <message>
        <source>Victim</source>
        <translation>受害人</translation>
    </message>
    <message>
        <source>The reporter is the victim.</source>
        <translation>报案人即受害人。</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>案情</translation>
    </message>
    <message>
        <source>Transactions ({count}), total {total}</source>
        <translation>交易记录（{count}笔），合计{total}</translation>
    </message>
    <message>
        <source>No money was lost.</source>
        <translation>无资金损失。</translation>
    </message>
    <message>
        <source>Transaction {number}</source>
        <translation>第{number}笔交易</translation>
    </message>
    <message>
        <source>Suspect identifiers ({count})</source>
        <translation>嫌疑人线索（{count}）</translation>
    </message>
    <message>
        <source>Attachments ({count})</source>
        <translation>证据附件（{count}）</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Open the stored file</source>
        <translation>打开已存档的文件</translation>
    </message>
    <message>
        <source>The file is not in this desk&apos;s attachment store</source>
        <translation>本受案台的附件库中没有该文件</translation>
    </message>
</context>
<context>
    <name>CasesPage</name>
    <message>
        <source>Search by case number, name, ID number, phone, account or words (Ctrl+F)</source>
        <translation>按案件编号、姓名、证件号码、电话、账号或关键词搜索（Ctrl+F）</translation>
    </message>
    <message>
        <source>All fraud types</source>
        <translation>全部诈骗类型</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <source>Reported from</source>
        <translation>报案时间</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>Could not read the cases: {detail}</source>
        <translation>无法读取案件：{detail}</translation>
    </message>
    <message>
        <source>{count} cases in the first {cap} matches; type more to narrow the search</source>
        <translation>前{cap}条匹配中有{count}起案件；请输入更多内容以缩小范围</translation>
    </message>
    <message>
        <source>No cases</source>
        <translation>没有案件</translation>
    </message>
    <message>
        <source>1 case</source>
        <translation>1起案件</translation>
    </message>
    <message>
        <source>{count} cases</source>
        <translation>{count}起案件</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <source>Statistics</source>
        <translation>统计</translation>
    </message>
    <message>
        <source>Leads</source>
        <translation>线索</translation>
    </message>
    <message>
        <source>Prevention log</source>
        <translation>宣防记录</translation>
    </message>
    <message>
        <source>Seized lists</source>
        <translation>查获卡号比对</translation>
    </message>
</context>
<context>
    <name>DeskApp</name>
    <message>
        <source>Demo station: log in with badge {badge} and password {password}. The cases are invented; nothing here is kept after closing.</source>
        <translation>演示派出所：请用警号 {badge}、密码 {password} 登录。案件均为虚构，关闭后不会保留。</translation>
    </message>
    <message>
        <source>The desk&apos;s data cannot be opened</source>
        <translation>无法打开受案台数据</translation>
    </message>
</context>
<context>
    <name>DraftsPage</name>
    <message>
        <source>Unfinished reports</source>
        <translation>未完成的报案</translation>
    </message>
    <message>
        <source>Reports are saved as drafts while they are typed. Continue one, or discard it (it is kept in the records, marked discarded).</source>
        <translation>报案在填写过程中会自动保存为草稿。可以继续填写，也可以放弃（放弃的草稿仍留存记录，并标记为已放弃）。</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续填写</translation>
    </message>
    <message>
        <source>Discard…</source>
        <translation>放弃…</translation>
    </message>
    <message>
        <source>No unfinished reports.</source>
        <translation>没有未完成的报案。</translation>
    </message>
    <message>
        <source>Discard report</source>
        <translation>放弃报案</translation>
    </message>
    <message>
        <source>Discard this unfinished report? It cannot be continued afterwards.</source>
        <translation>放弃这份未完成的报案？放弃后将无法继续填写。</translation>
    </message>
</context>
<context>
    <name>InstructionsPage</name>
    <message>
        <source>Instructions from the city center</source>
        <translation>市反诈中心下发的指令</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>完成时限</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Instruction</source>
        <translation>指令内容</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>接收时间</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>处置结果</translation>
    </message>
    <message>
        <source>No instructions. They arrive when the desk syncs.</source>
        <translation>暂无指令。同步时自动接收。</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>签收</translation>
    </message>
    <message>
        <source>What was done (optional)</source>
        <translation>处置情况（可不填）</translation>
    </message>
    <message>
        <source>Record outcome</source>
        <translation>登记处置结果</translation>
    </message>
    <message>
        <source>Outcome:</source>
        <translation>处置结果：</translation>
    </message>
    <message>
        <source>Dissuade in person</source>
        <translation>上门劝阻</translation>
    </message>
    <message>
        <source>Verify a lead</source>
        <translation>核查线索</translation>
    </message>
    <message>
        <source>no deadline</source>
        <translation>无时限</translation>
    </message>
    <message>
        <source>overdue {h} h {m:02d} min</source>
        <translation>已超时 {h} 小时 {m:02d} 分</translation>
    </message>
    <message>
        <source>{h} h {m:02d} min left</source>
        <translation>剩余 {h} 小时 {m:02d} 分</translation>
    </message>
    <message>
        <source>Acknowledged by {badge}</source>
        <translation>已签收（警号 {badge}）</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新指令</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>LeadsPage</name>
    <message>
        <source>Company or unit that gave the lead</source>
        <translation>提供线索的企业或单位</translation>
    </message>
    <message>
        <source>One per line: the kind, a space, the number (e.g. Bank account 6222 0212 …)</source>
        <translation>每行一条：类别、空格、号码（如：银行账号 6222 0212 …）</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>线索来源</translation>
    </message>
    <message>
        <source>From</source>
        <translation>来源单位</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>接收时间</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>线索摘要</translation>
    </message>
    <message>
        <source>Narrative</source>
        <translation>详细情况</translation>
    </message>
    <message>
        <source>Identifiers</source>
        <translation>涉案号码</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Fraud Intake Desk — log in</source>
        <translation>反诈受案台 — 登录</translation>
    </message>
    <message>
        <source>The screen is locked. Enter your password to go on.</source>
        <translation>屏幕已锁定。请输入密码继续。</translation>
    </message>
    <message>
        <source>Log in with your badge number and password.</source>
        <translation>请用警号和密码登录。</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>警号</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Fraud Intake Desk — {station}</source>
        <translation>反诈受案台 — {station}</translation>
    </message>
    <message>
        <source>New report</source>
        <translation>新报案</translation>
    </message>
    <message>
        <source>Unfinished</source>
        <translation>未完成</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件详情</translation>
    </message>
    <message>
        <source>Stop payment</source>
        <translation>紧急止付</translation>
    </message>
    <message>
        <source>&amp;Desk</source>
        <translation>受案台(&amp;D)</translation>
    </message>
    <message>
        <source>Find cases</source>
        <translation>查询案件</translation>
    </message>
    <message>
        <source>Lock screen</source>
        <translation>锁定屏幕</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Lock after idle…</source>
        <translation>闲置自动锁屏…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>On duty: {name} ({badge}, {role})</source>
        <translation>值班民警：{name}（{badge}，{role}）</translation>
    </message>
    <message>
        <source>Lock after idle</source>
        <translation>闲置自动锁屏</translation>
    </message>
    <message>
        <source>Minutes without input before the screen locks (0: never):</source>
        <translation>无操作多少分钟后锁定屏幕（0为从不锁定）：</translation>
    </message>
</context>
<context>
    <name>OutcomeDialog</name>
    <message>
        <source>Record outcome</source>
        <translation>登记止付结果</translation>
    </message>
    <message>
        <source>Item {item} of {case_no}: {amount} to {payee} ({bank} {account})</source>
        <translation>案件 {case_no} 的事项 {item}：{amount} 转给 {payee}（{bank} {account}）</translation>
    </message>
    <message>
        <source>Now: {state}</source>
        <translation>当前状态：{state}</translation>
    </message>
    <message>
        <source>yuan, at most {amount}</source>
        <translation>单位：元，最多 {amount}</translation>
    </message>
    <message>
        <source>One year (city-level approval)</source>
        <translation>冻结一年（经市级审批）</translation>
    </message>
    <message>
        <source>Approval reference</source>
        <translation>审批文号</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>PreventionPage</name>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>形式</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Target group</source>
        <translation>宣传对象</translation>
    </message>
    <message>
        <source>Audience</source>
        <translation>受众人数</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>PrintDialog</name>
    <message>
        <source>Save PDF</source>
        <translation>另存为PDF</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>受案回执</translation>
    </message>
    <message>
        <source>Case registration form</source>
        <translation>受案登记表</translation>
    </message>
    <message>
        <source>Stop-payment request sheet</source>
        <translation>紧急止付申请表</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>revision {number}</source>
        <translation>第{number}版</translation>
    </message>
    <message>
        <source>reprint {n}</source>
        <translation>第{n}次补打</translation>
    </message>
    <message>
        <source>{count} page(s)</source>
        <translation>共{count}页</translation>
    </message>
    <message>
        <source>Print preview…</source>
        <translation>打印预览…</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Save PDF…</source>
        <translation>另存为PDF…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>No printer is installed on this PC. Save the PDF and print it elsewhere.</source>
        <translation>本机未安装打印机。请另存为PDF，再到其他电脑上打印。</translation>
    </message>
    <message>
        <source>No printer</source>
        <translation>没有打印机</translation>
    </message>
    <message>
        <source>The printer could not be started. Check it, or save the PDF.</source>
        <translation>无法启动打印机。请检查打印机，或另存为PDF。</translation>
    </message>
    <message>
        <source>The PDF could not be saved: {error}</source>
        <translation>PDF 无法保存：{error}</translation>
    </message>
    <message>
        <source>Saved, not encrypted</source>
        <translation>已保存，未加密</translation>
    </message>
    <message>
        <source>{path} is not encrypted and holds victims&apos; personal data. Keep it on an encrypted drive and delete it when done.</source>
        <translation>{path} 未加密，含受害人个人信息。请存放在加密介质上，用完即删。</translation>
    </message>
    <message>
        <source>This receipt was already printed {count} times. Print a copy marked 补打?</source>
        <translation>此受案回执已打印过{count}次。是否打印一份标注“补打”的回执？</translation>
    </message>
    <message>
        <source>Reprint receipt</source>
        <translation>补打受案回执</translation>
    </message>
    <message>
        <source>Print receipt</source>
        <translation>打印受案回执</translation>
    </message>
    <message>
        <source>Print form</source>
        <translation>打印受案登记表</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyDialog</name>
    <message>
        <source>Recovery key</source>
        <translation>恢复密钥</translation>
    </message>
    <message>
        <source>The desk&apos;s data is encrypted. Each officer&apos;s password unlocks it; if every password is forgotten, only this recovery key can. Write it on paper now and give it to the station head to keep locked away. It is shown only this once.</source>
        <translation>本机数据已加密，每位民警的密码都能解锁；如果所有密码都遗忘，只有这个恢复密钥能解锁。请现在抄在纸上，交所长锁存。它只显示这一次。</translation>
    </message>
    <message>
        <source>I have written the recovery key down</source>
        <translation>我已抄下恢复密钥</translation>
    </message>
</context>
<context>
    <name>ReportForm</name>
    <message>
        <source>Report</source>
        <translation>报案</translation>
    </message>
    <message>
        <source>Registered. Case number:</source>
        <translation>已受案。案件编号：</translation>
    </message>
    <message>
        <source>&amp;Print receipt</source>
        <translation>打印受案回执(&amp;P)</translation>
    </message>
    <message>
        <source>Print the receipt for the reporter</source>
        <translation>为报案人打印受案回执</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>Copy the case number</source>
        <translation>复制案件编号</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>New report</source>
        <translation>新报案</translation>
    </message>
    <message>
        <source>Case source</source>
        <translation>案件来源</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Reported at</source>
        <translation>报案时间</translation>
    </message>
    <message>
        <source>Type the digits (for example 202611210231) or pick a date with the calendar; Delete clears the field.</source>
        <translation>直接输入数字（如202611210231）或用日历选择；按Delete清空。</translation>
    </message>
    <message>
        <source>Reporter</source>
        <translation>报案人</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>18 digits; the last may be X</source>
        <translation>18位，末位可为X</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <source>Occupation or workplace</source>
        <translation>职业或工作单位</translation>
    </message>
    <message>
        <source>Target groups</source>
        <translation>重点人群</translation>
    </message>
    <message>
        <source>The reporter is the victim</source>
        <translation>报案人即受害人</translation>
    </message>
    <message>
        <source>Victim</source>
        <translation>受害人</translation>
    </message>
    <message>
        <source>Incident</source>
        <translation>案情</translation>
    </message>
    <message>
        <source>Fraud type</source>
        <translation>诈骗类型</translation>
    </message>
    <message>
        <source>Contact channel</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <source>Began at</source>
        <translation>案发开始时间</translation>
    </message>
    <message>
        <source>Ended at</source>
        <translation>案发结束时间</translation>
    </message>
    <message>
        <source>Discovered at</source>
        <translation>发现被骗时间</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>案发地点</translation>
    </message>
    <message>
        <source>Narrative</source>
        <translation>简要案情</translation>
    </message>
    <message>
        <source>Time, place, what happened, suspect details, loss, evidence received</source>
        <translation>时间、地点、经过、嫌疑人情况、损失、已收取的证据</translation>
    </message>
    <message>
        <source>Transactions</source>
        <translation>交易记录</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>转账时间</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>支付方式</translation>
    </message>
    <message>
        <source>Payer bank</source>
        <translation>付款银行</translation>
    </message>
    <message>
        <source>Payer account</source>
        <translation>付款账号</translation>
    </message>
    <message>
        <source>Payee name</source>
        <translation>收款户名</translation>
    </message>
    <message>
        <source>Payee bank</source>
        <translation>收款银行</translation>
    </message>
    <message>
        <source>Payee account</source>
        <translation>收款账号</translation>
    </message>
    <message>
        <source>Serial no.</source>
        <translation>交易流水号</translation>
    </message>
    <message>
        <source>City watchlist</source>
        <translation>全市预警名单</translation>
    </message>
    <message>
        <source>&amp;Add transaction</source>
        <translation>添加交易(&amp;A)</translation>
    </message>
    <message>
        <source>Add a row (Insert in the table)</source>
        <translation>添加一行（在表格中按Insert）</translation>
    </message>
    <message>
        <source>Remove transaction</source>
        <translation>删除交易</translation>
    </message>
    <message>
        <source>Suspect identifiers</source>
        <translation>嫌疑人线索</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Normalized</source>
        <translation>规范值</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Add &amp;identifier</source>
        <translation>添加线索(&amp;I)</translation>
    </message>
    <message>
        <source>Remove identifier</source>
        <translation>删除线索</translation>
    </message>
    <message>
        <source>Evidence attachments</source>
        <translation>证据附件</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>Add fi&amp;les…</source>
        <translation>添加文件(&amp;L)…</translation>
    </message>
    <message>
        <source>Remove file</source>
        <translation>删除文件</translation>
    </message>
    <message>
        <source>You can also drag files or images here.</source>
        <translation>也可以把文件或图片拖到这里。</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>放弃(&amp;D)</translation>
    </message>
    <message>
        <source>Throw away the changes since the draft was last saved</source>
        <translation>放弃自上次保存草稿以来的修改</translation>
    </message>
    <message>
        <source>&amp;Save draft</source>
        <translation>保存草稿(&amp;S)</translation>
    </message>
    <message>
        <source>Ctrl+S</source>
        <translation>Ctrl+S</translation>
    </message>
    <message>
        <source>&amp;Register</source>
        <translation>受案登记(&amp;R)</translation>
    </message>
    <message>
        <source>Register the report as a case (Ctrl+Enter)</source>
        <translation>受案登记，生成案件（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>(no name yet)</source>
        <translation>（尚无姓名）</translation>
    </message>
    <message>
        <source>revising case {case_no}</source>
        <translation>修改案件{case_no}</translation>
    </message>
    <message>
        <source>saved {time}</source>
        <translation>保存于{time}</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— 请选择 —</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未填写</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>受案登记</translation>
    </message>
    <message>
        <source>Save draft</source>
        <translation>保存草稿</translation>
    </message>
    <message>
        <source>Go to the next problem</source>
        <translation>转到下一个问题</translation>
    </message>
    <message>
        <source>Not saved yet</source>
        <translation>尚未保存</translation>
    </message>
    <message>
        <source>Draft opened</source>
        <translation>已打开草稿</translation>
    </message>
    <message>
        <source>Revising case {case_no}</source>
        <translation>正在修改案件{case_no}</translation>
    </message>
    <message>
        <source>Continuing a draft report</source>
        <translation>继续填写草稿</translation>
    </message>
    <message>
        <source>Total: {total}</source>
        <translation>合计：{total}</translation>
    </message>
    <message>
        <source>({count} amount(s) not counted)</source>
        <translation>（{count}笔金额未计入）</translation>
    </message>
    <message>
        <source>Add evidence files</source>
        <translation>添加证据文件</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.gif *.bmp *.webp);;All files (*)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.gif *.bmp *.webp);;所有文件 (*)</translation>
    </message>
    <message>
        <source>{size} bytes</source>
        <translation>{size}字节</translation>
    </message>
    <message>
        <source>Errors: {count}</source>
        <translation>错误：{count}</translation>
    </message>
    <message>
        <source>Warnings: {count}</source>
        <translation>警告：{count}</translation>
    </message>
    <message>
        <source>No errors</source>
        <translation>无错误</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>Correct the errors first (F8 goes to the next problem)</source>
        <translation>请先改正错误（按F8转到下一个问题）</translation>
    </message>
    <message>
        <source>Filled in from the card number; please check it.</source>
        <translation>已按卡号自动填写，请核实。</translation>
    </message>
    <message>
        <source>… and {count} more</source>
        <translation>……另有{count}条</translation>
    </message>
    <message>
        <source>The draft could not be saved: {reason}</source>
        <translation>草稿未能保存：{reason}</translation>
    </message>
    <message>
        <source>Draft saved at {time}</source>
        <translation>草稿已于{time}保存</translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation>放弃修改</translation>
    </message>
    <message>
        <source>Throw away the changes to this report that were not saved?</source>
        <translation>放弃本报案中尚未保存的修改吗？</translation>
    </message>
    <message>
        <source>Unsaved report</source>
        <translation>报案未保存</translation>
    </message>
    <message>
        <source>This report has changes that were not saved. Save them as a draft?</source>
        <translation>本报案有尚未保存的修改，是否保存为草稿？</translation>
    </message>
    <message>
        <source>A report was not finished:

{summary}

Continue it now?</source>
        <translation>有一份报案尚未完成：

{summary}

现在继续填写吗？</translation>
    </message>
    <message>
        <source>{count} unfinished reports in all; the others are in the drafts list.</source>
        <translation>共有{count}份未完成的报案，其余的在“未完成”列表中。</translation>
    </message>
    <message>
        <source>Unfinished report</source>
        <translation>未完成的报案</translation>
    </message>
    <message>
        <source>Saved as revision {revision} of case</source>
        <translation>已保存为第{revision}版，案件编号：</translation>
    </message>
    <message>
        <source>Nothing changed; the case stays at revision {revision}:</source>
        <translation>内容未变，案件仍为第{revision}版：</translation>
    </message>
    <message>
        <source>Case number copied</source>
        <translation>案件编号已复制</translation>
    </message>
</context>
<context>
    <name>SeizedListPage</name>
    <message>
        <source>Open list…</source>
        <translation>打开清单…</translation>
    </message>
    <message>
        <source>Export hits…</source>
        <translation>导出命中记录…</translation>
    </message>
    <message>
        <source>Only a supervisor or an administrator can export the hits</source>
        <translation>只有所长（supervisor）或管理员可以导出命中记录</translation>
    </message>
    <message>
        <source>Match a list of seized bank cards or accounts (CSV or Excel) against the payee accounts and suspect identifiers of this station&apos;s cases and leads. Spaces, dashes and full-width digits in the list do not matter.</source>
        <translation>将查获的银行卡号或账号清单（CSV 或 Excel）与本所案件的收款账号、嫌疑人线索以及登记的线索进行比对。清单中的空格、连字符和全角数字不影响比对。</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>清单行号</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>卡号/账号</translation>
    </message>
    <message>
        <source>Tied to</source>
        <translation>关联类别</translation>
    </message>
    <message>
        <source>Case or lead</source>
        <translation>案件编号/线索</translation>
    </message>
    <message>
        <source>Fraud type</source>
        <translation>诈骗类型</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失金额</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Matching {name}…</source>
        <translation>正在比对 {name}…</translation>
    </message>
    <message>
        <source>The hits could not be exported: {detail}</source>
        <translation>命中记录未能导出：{detail}</translation>
    </message>
    <message>
        <source>{count} hits exported to {path}. The file is not encrypted: keep it on an encrypted drive and delete it when done.</source>
        <translation>已导出 {count} 条命中记录到 {path}。该文件未加密：请存放在加密介质上，用完即删。</translation>
    </message>
    <message>
        <source>{numbers} numbers in {name}; {matched} tied to this station&apos;s records ({cases} cases, {leads} leads).</source>
        <translation>{name}共{numbers}个卡号/账号，其中{matched}个与本所记录关联（案件{cases}件，线索{leads}条）。</translation>
    </message>
    <message>
        <source>{count} rows held no number and were skipped.</source>
        <translation>{count}行没有卡号或账号，已跳过。</translation>
    </message>
    <message>
        <source>On the city watchlist: {cases} cases at {stations} stations</source>
        <translation>在全市关注名单上：{stations} 个派出所的 {cases} 起案件</translation>
    </message>
    <message>
        <source>The list could not be read: {detail}</source>
        <translation>无法读取清单：{detail}</translation>
    </message>
    <message>
        <source>Open a seized list</source>
        <translation>打开查获清单</translation>
    </message>
    <message>
        <source>Lists (*.csv *.xlsx *.txt)</source>
        <translation>清单文件 (*.csv *.xlsx *.txt)</translation>
    </message>
    <message>
        <source>Export hits</source>
        <translation>导出命中记录</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
</context>
<context>
    <name>SeriesView</name>
    <message>
        <source>Save chart as PNG…</source>
        <translation>将图表另存为PNG…</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>时段</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Save chart</source>
        <translation>保存图表</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
</context>
<context>
    <name>SetupDialog</name>
    <message>
        <source>Set up this station</source>
        <translation>设置本派出所</translation>
    </message>
    <message>
        <source>This data folder is empty. Enter the station and its first administrator; the administrator then adds the other officers.</source>
        <translation>数据文件夹为空。请填写派出所信息和第一位管理员，之后由管理员添加其他民警。</translation>
    </message>
    <message>
        <source>Data folder: {path}</source>
        <translation>数据文件夹：{path}</translation>
    </message>
    <message>
        <source>Station code (12 digits)</source>
        <translation>机构代码（12位）</translation>
    </message>
    <message>
        <source>Station name</source>
        <translation>派出所名称</translation>
    </message>
    <message>
        <source>Administrator&apos;s badge</source>
        <translation>管理员警号</translation>
    </message>
    <message>
        <source>Administrator&apos;s name</source>
        <translation>管理员姓名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>确认密码</translation>
    </message>
    <message>
        <source>Set up</source>
        <translation>完成设置</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>StatisticsPage</name>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>By day</source>
        <translation>按日</translation>
    </message>
    <message>
        <source>By week</source>
        <translation>按周</translation>
    </message>
    <message>
        <source>By month</source>
        <translation>按月</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>From</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source>{first} to {last}: {cases} reports, loss {loss}; {leads} leads; {events} prevention events reaching {audience} people. Voided cases are not counted.</source>
        <translation>{first}至{last}：报案{cases}件，损失{loss}；线索{leads}条；宣防活动{events}场，受众{audience}人次。已作废的案件不计入。</translation>
    </message>
    <message>
        <source>Could not count: {detail}</source>
        <translation>无法统计：{detail}</translation>
    </message>
</context>
<context>
    <name>StopPaymentPage</name>
    <message>
        <source>Stop-payment sheet</source>
        <translation>止付申请表</translation>
    </message>
    <message>
        <source>Record the request of {n} item(s) of {case_no} as made now?</source>
        <translation>将案件 {case_no} 的 {n} 笔事项登记为“已申请止付”（时间为现在）？</translation>
    </message>
    <message>
        <source>Emergency stop-payment</source>
        <translation>紧急止付</translation>
    </message>
    <message>
        <source>Open items, most urgent first. Enter the request within 30 minutes of the report; a stop holds the money for 48 hours, a freeze for 6 months.</source>
        <translation>待办事项，最紧急的在前。须在受案后30分钟内提交止付申请；止付有效期48小时，冻结6个月。</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>事项号</translation>
    </message>
    <message>
        <source>Since transfer</source>
        <translation>距转账</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Payee bank</source>
        <translation>收款银行</translation>
    </message>
    <message>
        <source>Payee account</source>
        <translation>收款账号</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Next deadline</source>
        <translation>下一期限</translation>
    </message>
    <message>
        <source>Transferred</source>
        <translation>转账时间</translation>
    </message>
    <message>
        <source>Record outcome…</source>
        <translation>登记结果…</translation>
    </message>
    <message>
        <source>Open case</source>
        <translation>打开案件</translation>
    </message>
    <message>
        <source>No open stop-payment items.</source>
        <translation>没有待办的止付事项。</translation>
    </message>
    <message>
        <source>The {shown} most urgent of {total} items are shown.</source>
        <translation>共 {total} 笔事项，显示最紧急的 {shown} 笔。</translation>
    </message>
    <message>
        <source>{time} (in {left})</source>
        <translation>{time}（还剩 {left}）</translation>
    </message>
    <message>
        <source>{time} ({late} late)</source>
        <translation>{time}（已超 {late}）</translation>
    </message>
    <message>
        <source>(unknown)</source>
        <translation>（未识别）</translation>
    </message>
    <message>
        <source>Stop-payment reminders: {n}</source>
        <translation>止付提醒：{n} 条</translation>
    </message>
    <message>
        <source>Item {item} ({case_no}): no request yet; it was due at {due}</source>
        <translation>事项 {item}（案件 {case_no}）：尚未申请止付，应于 {due} 前申请</translation>
    </message>
    <message>
        <source>Item {item} ({case_no}): the stop ends at {due} and nothing is frozen</source>
        <translation>事项 {item}（案件 {case_no}）：止付将于 {due} 到期，尚未冻结</translation>
    </message>
    <message>
        <source>Item {item} ({case_no}): the freeze ends at {due}; renew it in time</source>
        <translation>事项 {item}（案件 {case_no}）：冻结将于 {due} 到期，请及时续冻</translation>
    </message>
</context>
<context>
    <name>SyncStatusButton</name>
    <message>
        <source>Sync: sending…</source>
        <translation>同步：正在发送…</translation>
    </message>
    <message>
        <source>Sync: not set up</source>
        <translation>同步：未配置</translation>
    </message>
    <message>
        <source>Ask the admin to enroll this station with the city center.</source>
        <translation>请管理员将本所登记到市反诈中心。</translation>
    </message>
    <message>
        <source>Sync: all sent</source>
        <translation>同步：已全部上报</translation>
    </message>
    <message>
        <source>Sync: {n} waiting</source>
        <translation>同步：{n} 条待上报</translation>
    </message>
    <message>
        <source>last {time}</source>
        <translation>上次 {time}</translation>
    </message>
    <message>
        <source>failed, retrying in {n} min</source>
        <translation>失败，{n} 分钟后重试</translation>
    </message>
    <message>
        <source>Center: {url}</source>
        <translation>市中心：{url}</translation>
    </message>
    <message>
        <source>Last error: {error}</source>
        <translation>上次错误：{error}</translation>
    </message>
    <message>
        <source>Not taken by the center: {n} records; contact the center.</source>
        <translation>市中心未接收 {n} 条记录，请联系市中心。</translation>
    </message>
    <message>
        <source>Instructions from the center: {n}</source>
        <translation>市中心指令：{n} 条</translation>
    </message>
    <message>
        <source>Click to sync now.</source>
        <translation>点击立即同步。</translation>
    </message>
    <message>
        <source>Instructions</source>
        <translation>指令</translation>
    </message>
    <message>
        <source>{n} cases in the city</source>
        <translation>全市{n}起</translation>
    </message>
    <message>
        <source>This account appears in {n} cases in the city</source>
        <translation>此账号在全市 {n} 起案件中出现</translation>
    </message>
    <message>
        <source>watched</source>
        <translation>中心关注</translation>
    </message>
    <message>
        <source>Flagged by the city center</source>
        <translation>市反诈中心重点关注</translation>
    </message>
</context>
<context>
    <name>VoidDialog</name>
    <message>
        <source>Void case</source>
        <translation>作废案件</translation>
    </message>
    <message>
        <source>Void case {case_no}? A void case stays on record with the reason, and can no longer be revised.</source>
        <translation>作废案件{case_no}？作废的案件连同作废原因仍留存记录，但不能再修改。</translation>
    </message>
    <message>
        <source>Reason (required):</source>
        <translation>原因（必填）：</translation>
    </message>
    <message>
        <source>For example: registered twice, the same report as case …</source>
        <translation>例如：重复登记，与案件……为同一报案</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>_RecordPage</name>
    <message>
        <source>Register</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Registered.</source>
        <translation>已登记。</translation>
    </message>
</context>
</TS>
