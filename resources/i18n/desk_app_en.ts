<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
<context>
    <name>AlertsPage</name>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="117" />
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="117" />
        <location filename="../../desk_app/ui/supervisor/window.py" line="164" />
        <source>告警</source>
        <translation>Alert</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="117" />
        <source>处理说明</source>
        <translation>Action taken</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="117" />
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="120" />
        <source>处理说明（必填），例如：已增开 3 号窗口</source>
        <translation>Action taken (required), e.g. opened window 3</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="121" />
        <source>确认告警 (Ctrl+K)</source>
        <translation>Acknowledge (Ctrl+K)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="147" />
        <source>等候人数</source>
        <translation>Queue length</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="148" />
        <source>等候时长</source>
        <translation>Wait</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="149" />
        <source>办理过慢</source>
        <translation>Slow service</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="150" />
        <source>暂停过久</source>
        <translation>Long pause</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="151" />
        <source>同步失败</source>
        <translation>Sync failed</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="152" />
        <source>回访逾期</source>
        <translation>Follow-up overdue</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="153" />
        <source>设备故障</source>
        <translation>Device fault</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="154" />
        <source>工单逾期</source>
        <translation>Work order late</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="170" />
        <source>已确认</source>
        <translation>Acknowledged</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="170" />
        <source>待处理</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="182" />
        <source>进度查询地址仍是示例（%1）：号票和回执上的二维码无法打开。请管理员在本厅设置中填写真实的进度查询地址。</source>
        <translation>The progress address is still the example (%1): the QR codes on tickets and receipts lead nowhere. An administrator must set the hall's real progress address.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="200" />
        <source>请先选择一条告警。</source>
        <translation>Select an alert first.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="203" />
        <source>请填写处理说明。</source>
        <translation>Say what was done.</translation>
    </message>
</context>
<context>
    <name>ApplicantPage</name>
    <message>
        <location filename="../../desk_app/ui/cases/applicant.py" line="73" />
        <source>11 位手机号（可选）</source>
        <translation>11-digit mobile (optional)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/applicant.py" line="74" />
        <source>申请人存在失信记录（不适用容缺受理）</source>
        <translation>Applicant has a bad-credit flag (no deferral)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/applicant.py" line="78" />
        <source>申请人同意通过数据共享获取免提交材料（免证办）（Alt+G）</source>
        <translation>The applicant agrees that shared data replaces materials (Alt+G)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/applicant.py" line="81" />
        <source>代办（代理人持委托书办理）</source>
        <translation>Proxy (agent with a letter of authorization)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/applicant.py" line="96" />
        <source>代理人姓名</source>
        <translation>Agent's name</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/applicant.py" line="97" />
        <source>代理人身份证号</source>
        <translation>Agent's ID number</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/applicant.py" line="99" />
        <source>委托事项</source>
        <translation>Authorized for</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/applicant.py" line="100" />
        <source>委托有效期至</source>
        <translation>Authorization valid until</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/applicant.py" line="102" />
        <source>一件事</source>
        <translation>One-thing bundle</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/applicant.py" line="103" />
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/applicant.py" line="116" />
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/applicant.py" line="147" />
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/applicant.py" line="147" />
        <source>居民身份证号</source>
        <translation>Resident ID number</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/applicant.py" line="148" />
        <source>企业名称</source>
        <translation>Company name</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/applicant.py" line="148" />
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/applicant.py" line="202" />
        <source>正在向平台查询电子身份证码…</source>
        <translation>Asking the platform about the e-ID code…</translation>
    </message>
</context>
<context>
    <name>AppointmentModel</name>
    <message>
        <location filename="../../desk_app/ui/counter/appointments.py" line="45" />
        <source>时段</source>
        <translation>Slot</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/appointments.py" line="46" />
        <source>预约码</source>
        <translation>Booking code</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/appointments.py" line="47" />
        <source>事项</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/appointments.py" line="48" />
        <source>预约人</source>
        <translation>Booked by</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/appointments.py" line="49" />
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/appointments.py" line="50" />
        <source>号码</source>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/appointments.py" line="53" />
        <source>待签到</source>
        <translation>Not checked in</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/appointments.py" line="54" />
        <source>已签到</source>
        <translation>Checked in</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/appointments.py" line="55" />
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/appointments.py" line="56" />
        <source>爽约</source>
        <translation>No-show</translation>
    </message>
</context>
<context>
    <name>AppointmentsPanel</name>
    <message>
        <location filename="../../desk_app/ui/counter/appointments.py" line="130" />
        <source>今日预约</source>
        <translation>Today's appointments</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/appointments.py" line="132" />
        <source>签到所选 (Shift+F12)</source>
        <translation>Check in selected (Shift+F12)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/appointments.py" line="133" />
        <source>预约登记 (F12)</source>
        <translation>Book (F12)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/appointments.py" line="172" />
        <source>请先在今日预约中选择一条</source>
        <translation>Select one of today's appointments first</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/appointments.py" line="182" />
        <source>预约 %1 已签到, 号码 %2</source>
        <translation>Appointment %1 checked in, ticket %2</translation>
    </message>
</context>
<context>
    <name>AuthorizeDialog</name>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="318" />
        <source>授权委托书</source>
        <translation>Letter of authorization</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="321" />
        <source>18 位居民身份证号码</source>
        <translation>18-character resident ID</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="336" />
        <source>不填：由本人（帮办人员）受托</source>
        <translation>Leave empty: the helper is the agent</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="338" />
        <source>生成授权委托书供签字</source>
        <translation>Print the letter for signing</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="340" />
        <source>委托人姓名</source>
        <translation>Principal's name</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="341" />
        <source>委托人身份证号</source>
        <translation>Principal's ID number</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="342" />
        <source>委托事项（空格键勾选）</source>
        <translation>Items covered (Space ticks)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="343" />
        <source>有效期至</source>
        <translation>Valid until</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="344" />
        <source>其他受托人姓名</source>
        <translation>Other agent's name</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="345" />
        <source>其他受托人身份证号</source>
        <translation>Other agent's ID number</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="355" />
        <source>请勾选委托事项。</source>
        <translation>Tick the items the letter covers.</translation>
    </message>
</context>
<context>
    <name>BookingDialog</name>
    <message>
        <location filename="../../desk_app/ui/counter/booking_dialog.py" line="44" />
        <source>一</source>
        <translation>Mon</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/booking_dialog.py" line="45" />
        <source>二</source>
        <translation>Tue</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/booking_dialog.py" line="46" />
        <source>三</source>
        <translation>Wed</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/booking_dialog.py" line="47" />
        <source>四</source>
        <translation>Thu</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/booking_dialog.py" line="48" />
        <source>五</source>
        <translation>Fri</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/booking_dialog.py" line="49" />
        <source>六</source>
        <translation>Sat</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/booking_dialog.py" line="50" />
        <source>日</source>
        <translation>Sun</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/booking_dialog.py" line="66" />
        <source>预约登记</source>
        <translation>Book an appointment</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/booking_dialog.py" line="76" />
        <location filename="../../desk_app/ui/counter/booking_dialog.py" line="132" />
        <source>请在表中选择日期和时段</source>
        <translation>Choose a day and a slot in the table</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/booking_dialog.py" line="81" />
        <source>打印预约凭条 (含所需材料清单)</source>
        <translation>Print the appointment slip (with what to bring)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/booking_dialog.py" line="84" />
        <source>姓名 (实名)</source>
        <translation>Name (real name)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/booking_dialog.py" line="85" />
        <source>身份证号码</source>
        <translation>Resident ID number</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/booking_dialog.py" line="86" />
        <source>手机号码 (选填)</source>
        <translation>Mobile (optional)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/booking_dialog.py" line="90" />
        <source>确认预约 (Ctrl+Enter)</source>
        <translation>Book (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/booking_dialog.py" line="92" />
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/booking_dialog.py" line="95" />
        <source>办理事项</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/booking_dialog.py" line="103" />
        <source>可预约时段 (数字为剩余名额)</source>
        <translation>Bookable slots (numbers are places left)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/booking_dialog.py" line="139" />
        <source>%1月%2日 周%3</source>
        <translation>%3 %1/%2</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/booking_dialog.py" line="157" />
        <source>满</source>
        <translation>Full</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/booking_dialog.py" line="173" />
        <source>已选: %1 %2</source>
        <translation>Chosen: %1 %2</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/booking_dialog.py" line="180" />
        <source>请先选择日期和时段</source>
        <translation>Choose a day and a slot first</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/booking_dialog.py" line="212" />
        <source>预约成功: %1  %2 %3-%4</source>
        <translation>Booked: %1  %2 %3-%4</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/booking_dialog.py" line="219" />
        <source>凭条: %1</source>
        <translation>Slip: %1</translation>
    </message>
</context>
<context>
    <name>CallDisplay</name>
    <message>
        <location filename="../../desk_app/ui/display/window.py" line="108" />
        <source>叫号显示</source>
        <translation>Call display</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/window.py" line="146" />
        <source>政务服务中心</source>
        <translation>Government Service Centre</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/window.py" line="148" />
        <source>连接中断, 正在重试…</source>
        <translation>Connection lost, retrying…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/window.py" line="153" />
        <source>无声音</source>
        <translation>No sound</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/window.py" line="154" />
        <source>本机无法播放叫号声音，请检查音箱或声卡</source>
        <translation>This PC cannot play the calls aloud: check the speakers or sound card</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/window.py" line="175" />
        <source>请</source>
        <translation>Please</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/window.py" line="181" />
        <source>重呼</source>
        <translation>Recall</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/window.py" line="210" />
        <source>请留意屏幕和语音叫号</source>
        <translation>Watch the screen and listen for your number</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/window.py" line="222" />
        <source>各窗口当前号码</source>
        <translation>Now serving at each window</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/window.py" line="223" />
        <source>最近叫号</source>
        <translation>Recent calls</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/window.py" line="426" />
        <source>%1 号窗口</source>
        <translation>Window %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/window.py" line="441" />
        <source>→ %1 号窗口</source>
        <translation>→ Window %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/calendar.py" line="19" />
        <location filename="../../desk_app/ui/display/calendar.py" line="59" />
        <source>预约</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/calendar.py" line="20" />
        <location filename="../../desk_app/ui/display/calendar.py" line="71" />
        <source>预约 · %1</source>
        <translation>Appointment · %1</translation>
    </message>
</context>
<context>
    <name>CaseDialog</name>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="54" />
        <source>1 申请人</source>
        <translation>1 Applicant</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="55" />
        <source>2 情形</source>
        <translation>2 Situation</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="56" />
        <source>3 材料</source>
        <translation>3 Materials</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="57" />
        <source>4 决定与文书</source>
        <translation>4 Decision &amp; documents</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="87" />
        <source>一件事办件</source>
        <translation>One-thing case</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="115" />
        <source>上一步 (Ctrl+←)</source>
        <translation>Back (Ctrl+←)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="116" />
        <source>下一步 (Ctrl+Enter)</source>
        <translation>Next (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="165" />
        <source>请根据申请人的情况回答（默认值为最常见情形）：</source>
        <translation>Answer for the applicant's situation (defaults are the common case):</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/materials.py" line="34" />
        <source>（未核实）</source>
        <translation> (unverified)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/materials.py" line="45" />
        <source>未与官方文本核对，以部门办事指南为准。依据：%1</source>
        <translation>Not checked against an official text; the department's guide prevails. Based on: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/materials.py" line="75" />
        <source>已收</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/materials.py" line="76" />
        <source>复印件</source>
        <translation>Copy</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/materials.py" line="77" />
        <location filename="../../desk_app/ui/cases/shared.py" line="81" />
        <source>材料</source>
        <translation>Material</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/materials.py" line="78" />
        <source>要求</source>
        <translation>Requirement</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/materials.py" line="79" />
        <source>用途与原因</source>
        <translation>Needed for / why</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/materials.py" line="104" />
        <source>勾选已收取的材料（空格键勾选，Tab 移动）：</source>
        <translation>Tick the materials received (Space ticks, Tab moves):</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/materials.py" line="94" />
        <source>拍照/扫描 (Ctrl+S)</source>
        <translation>Photo/scan (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/materials.py" line="159" />
        <source>（电子件）</source>
        <translation> (scanned)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/materials.py" line="181" />
        <source>（%1）</source>
        <translation> (%1)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="179" />
        <source>受理 (&amp;A)</source>
        <translation>&amp;Accept</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="180" />
        <source>容缺受理 (&amp;D)</source>
        <translation>Accept with &amp;deferral</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="181" />
        <source>一次性告知 (&amp;N)</source>
        <translation>One-time &amp;notice</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="182" />
        <source>不予受理 (&amp;R)</source>
        <translation>&amp;Reject</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="191" />
        <source>不予受理的理由</source>
        <translation>Reason for rejection</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="194" />
        <source>打印受理回执 (&amp;P)</source>
        <translation>&amp;Print receipt</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="195" />
        <source>打印一次性告知单</source>
        <translation>Print one-time notice</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="196" />
        <source>打印容缺承诺书</source>
        <translation>Print deferral commitment</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="202" />
        <source>办结并邀请评价 (&amp;C)</source>
        <translation>&amp;Conclude and invite evaluation</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="289" />
        <source>适用事项：</source>
        <translation>Items that apply: </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="292" />
        <source>需提交材料 %1 项，免提交 %2 项</source>
        <translation>%1 materials to submit, %2 obtained without submission</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="308" />
        <source>其中 %1 项未与官方文本核对（标“未核实”），以部门办事指南为准</source>
        <translation>%1 of these are not checked against an official text (marked "unverified"); the department's guide prevails</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="334" />
        <source>正在读取办件 %1…</source>
        <translation>Loading case %1…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/materials.py" line="177" />
        <source>免提交（数据共享、电子证照或前序事项结果）：</source>
        <translation>Not to submit (shared data, e-licences or results of earlier items): </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="403" />
        <source>材料齐全，可以受理。</source>
        <translation>All materials are in: the case can be accepted.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="405" />
        <source>尚缺：</source>
        <translation>Still missing: </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="407" />
        <source>。</source>
        <translation>.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="417" />
        <source>，办结期限 %1</source>
        <translation>, due %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="419" />
        <source>，容缺材料补正期限 %1</source>
        <translation>, deferred materials due %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/dialog.py" line="421" />
        <source>（无官方节假日数据，期限仅按周末推算）</source>
        <translation> (no official holiday data: deadline counts weekends only)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/labels.py" line="15" />
        <source>办理中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/labels.py" line="16" />
        <source>已受理</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/labels.py" line="17" />
        <source>容缺受理</source>
        <translation>Accepted, materials deferred</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/labels.py" line="18" />
        <source>已一次性告知</source>
        <translation>One-time notice given</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/labels.py" line="19" />
        <source>不予受理</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/labels.py" line="20" />
        <source>已办结</source>
        <translation>Concluded</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/labels.py" line="21" />
        <source>已终止</source>
        <translation>Terminated</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/labels.py" line="24" />
        <source>申请人提交</source>
        <translation>submitted by the applicant</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/labels.py" line="25" />
        <source>数据共享免提交</source>
        <translation>from shared data, not needed on paper</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/labels.py" line="26" />
        <source>电子证照免提交</source>
        <translation>from e-licences, not needed on paper</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/labels.py" line="27" />
        <source>前序事项办理结果免提交</source>
        <translation>result of an earlier item, not needed on paper</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/labels.py" line="57" />
        <source>%1（企业）</source>
        <translation>%1 (company)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/labels.py" line="58" />
        <source>%1（个人）</source>
        <translation>%1 (person)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/labels.py" line="64" />
        <source>必需</source>
        <translation>Required</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/labels.py" line="66" />
        <source>可选</source>
        <translation>Optional</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/labels.py" line="69" />
        <source>关键</source>
        <translation>key</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/reasons.py" line="27" />
        <source>暂缺原因</source>
        <translation>Why missing</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/reasons.py" line="34" />
        <source>如：原件在外地，三日内补交</source>
        <translation>e.g. the original is out of town, in within three days</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/reasons.py" line="46" />
        <source>请写明每项材料暂缺的原因（将打印在承诺书和受理回执上）：</source>
        <translation>Say why each material is missing (printed on the commitment and the receipt):</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/shared.py" line="41" />
        <source>待获取…</source>
        <translation>To fetch…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/shared.py" line="42" />
        <source>已通过共享获取</source>
        <translation>Fetched from shared data</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/shared.py" line="43" />
        <source>无记录，需提交</source>
        <translation>No record: hand in</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/shared.py" line="44" />
        <source>接口失败，需提交</source>
        <translation>Interface failed: hand in</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/shared.py" line="77" />
        <source>数据共享（免证办）：</source>
        <translation>Shared data:</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/shared.py" line="82" />
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/shared.py" line="83" />
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/shared.py" line="94" />
        <source>查看 (Ctrl+L)</source>
        <translation>View (Ctrl+L)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/shared.py" line="96" />
        <source>重新获取 (Ctrl+R)</source>
        <translation>Fetch again (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/shared.py" line="171" />
        <source>正在向共享平台获取…</source>
        <translation>Fetching from the sharing platform…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/shared.py" line="184" />
        <source>共享平台暂时无法连接：材料保持“待获取”，联网后自动获取。</source>
        <translation>The sharing platform cannot be reached: the materials stay “to fetch” and are fetched once it answers.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/shared_view.py" line="56" />
        <source>共享数据：%1</source>
        <translation>Shared data: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/shared_view.py" line="71" />
        <source>项目</source>
        <translation>Field</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/shared_view.py" line="72" />
        <source>内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/shared_view.py" line="83" />
        <source>证照编号</source>
        <translation>Licence number</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/shared_view.py" line="85" />
        <source>验证码</source>
        <translation>Verification code</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/shared_view.py" line="88" />
        <source>签发日期</source>
        <translation>Issued</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/shared_view.py" line="103" />
        <source>电子证照无法显示</source>
        <translation>The e-licence cannot be shown</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/shared_view.py" line="113" />
        <source>本次查看已记录。请与申请人核对，勿拍照或外传。</source>
        <translation>This view is recorded. Check it with the applicant; do not photograph or pass it on.</translation>
    </message>
</context>
<context>
    <name>CatalogPage</name>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="64" />
        <source>只看有未核实内容的</source>
        <translation>Only with unverified facts</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="66" />
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="68" />
        <source>导入…</source>
        <translation>Import…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="70" />
        <source>历史与回滚…</source>
        <translation>History and rollback…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="73" />
        <source>一件事</source>
        <translation>One-thing bundle</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="73" />
        <source>批次</source>
        <translation>Batch</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="73" />
        <source>清单</source>
        <translation>Checklist</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="73" />
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="234" />
        <source>未核实</source>
        <translation>Unverified</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="79" />
        <source>事实</source>
        <translation>Fact</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="79" />
        <source>内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="79" />
        <source>核实</source>
        <translation>Checked</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="79" />
        <source>依据</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="87" />
        <source>选中一条事实后在此修改（JSON）</source>
        <translation>Select a fact, then edit it here (JSON)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="89" />
        <source>依据：文号或网址，及日期（必填）</source>
        <translation>Source: document number or URL, and date (required)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="90" />
        <source>已与依据核对（发布为已核实）</source>
        <translation>Checked against the source (publish as verified)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="91" />
        <source>标记已核实</source>
        <translation>Mark verified</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="93" />
        <source>保存修改并发布</source>
        <translation>Save and publish</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="95" />
        <source>新增问答</source>
        <translation>New answer</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="152" />
        <source>目录版本 %1 · %2 个一件事 · 未核实 %3 / %4 条事实</source>
        <translation>Catalog version %1 · %2 bundles · %3 of %4 facts unverified</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="160" />
        <source> · 待决冲突 %1 条（导入或平台下发时双方都改过，已保留本厅的）</source>
        <translation> · %1 open conflicts (both sides changed them in an import or a platform package; the hall's value kept)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="192" />
        <source>仅列名</source>
        <translation>listed</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="192" />
        <source>有</source>
        <translation>yes</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="236" />
        <source>冲突：请核对后保存或标记已核实</source>
        <translation>Conflict: check, then save or mark verified</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="245" />
        <source>平台/导入的值：</source>
        <translation>Platform/import value: </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="261" />
        <source>请先选中一个一件事</source>
        <translation>Select a bundle first</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="278" />
        <source>填写问题、答复与依据后保存发布</source>
        <translation>Write the question, the answer and the source, then save and publish</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="295" />
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="306" />
        <source>请先选中一条事实</source>
        <translation>Select a fact first</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="313" />
        <source>JSON 有误（第 %1 行）：</source>
        <translation>JSON error (line %1): </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="333" />
        <source>正在发布…</source>
        <translation>Publishing…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="338" />
        <source>已发布版本 %1</source>
        <translation>Published version %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="349" />
        <source>导出目录</source>
        <translation>Export catalog</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="349" />
        <source>目录</source>
        <translation>catalog</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="357" />
        <source>已导出版本 %1 到 %2</source>
        <translation>Exported version %1 to %2</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="364" />
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="385" />
        <source>导入目录</source>
        <translation>Import catalog</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="377" />
        <source>新增：</source>
        <translation>Added: </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="378" />
        <source>删除：</source>
        <translation>Removed: </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="379" />
        <source>修改：</source>
        <translation>Changed:</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="381" />
        <source>冲突（保留本厅的，请人工处理）：</source>
        <translation>Conflicts (the hall's value kept; decide by hand):</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="385" />
        <source>确认导入并发布？</source>
        <translation>Import and publish?</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="388" />
        <source>未导入</source>
        <translation>Not imported</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="402" />
        <source>%1 的历史</source>
        <translation>History of %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/catalog.py" line="413" />
        <source>回滚到所选版本</source>
        <translation>Roll back to the chosen version</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <location filename="../../desk_app/ui/common/password_dialog.py" line="68" />
        <source>修改密码</source>
        <translation>Change password</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/password_dialog.py" line="71" />
        <source>工号 %1 正在使用临时密码，请先设置自己的新密码。</source>
        <translation>Staff %1 is using a temporary password: set your own new password first.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/password_dialog.py" line="76" />
        <source>至少 %1 个字符，须同时包含字母和数字，不能与工号相同。</source>
        <translation>At least %1 characters, with letters and digits, not the staff code.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/password_dialog.py" line="86" />
        <location filename="../../desk_app/ui/common/password_dialog.py" line="89" />
        <source>新密码</source>
        <translation>New password</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/password_dialog.py" line="87" />
        <source>再输入一次</source>
        <translation>Type it again</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/password_dialog.py" line="90" />
        <source>确认新密码</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/password_dialog.py" line="92" />
        <source>保存并登录  (Enter)</source>
        <translation>Save and log in  (Enter)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/password_dialog.py" line="110" />
        <source>请输入新密码。</source>
        <translation>Enter a new password.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/password_dialog.py" line="114" />
        <source>两次输入的新密码不一致。</source>
        <translation>The two new passwords differ.</translation>
    </message>
</context>
<context>
    <name>ChartBook</name>
    <message>
        <location filename="../../desk_app/ui/supervisor/charts.py" line="74" />
        <source>按小时 到达与办结</source>
        <translation>Arrivals and served by hour</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/charts.py" line="75" />
        <source>每日等候时间 (分钟, P50/P90/P95)</source>
        <translation>Daily waits (minutes, P50/P90/P95)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/charts.py" line="76" />
        <source>过号率走势 (%)</source>
        <translation>No-show rate (%)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/charts.py" line="77" />
        <source>好差评分布</source>
        <translation>Ratings (好差评)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/charts.py" line="178" />
        <source>到达</source>
        <translation>Arrived</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/charts.py" line="179" />
        <source>办结</source>
        <translation>Complete</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/charts.py" line="198" />
        <source>过号率</source>
        <translation>No-show rate</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/charts.py" line="206" />
        <source>评价数</source>
        <translation>Ratings</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/charts.py" line="207" />
        <source>5 非常满意 … 1 非常不满意</source>
        <translation>5 very satisfied … 1 very dissatisfied</translation>
    </message>
</context>
<context>
    <name>CheckinPage</name>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="133" />
        <source>预约签到</source>
        <translation>Appointment check-in</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="136" />
        <source>请将预约凭条上的二维码对准扫码口, 或输入预约码 / 身份证号码后点击“签到”</source>
        <translation>Hold the slip's QR code to the scanner, or type the booking code / ID number and press "Check in"</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="142" />
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="235" />
        <source>预约码或身份证号码</source>
        <translation>Booking code or ID number</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="154" />
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="162" />
        <source>签到</source>
        <translation>Check in</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="164" />
        <source>返回取号</source>
        <translation>Back to tickets</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="199" />
        <source>已预约? 点此签到</source>
        <translation>Booked? Check in here</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="211" />
        <source>刷身份证签到</source>
        <translation>Check in with your ID card</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="223" />
        <source>暂时无法签到, 请联系导服人员</source>
        <translation>Check-in is not possible right now, please ask the reception</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="245" />
        <source>预约手机号后四位</source>
        <translation>Last four digits of the booking's phone</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="247" />
        <source>为保护您的信息, 请输入预约时所留手机号的后四位, 再点击“签到”</source>
        <translation>To protect your data, type the last four digits of the phone you gave when booking, then press Check in</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="253" />
        <source>请输入手机号后四位 (4 位数字)</source>
        <translation>Type the last four digits of the phone (4 digits)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="257" />
        <source>请输入预约码或身份证号码</source>
        <translation>Type the booking code or the ID number</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="260" />
        <source>正在签到, 请稍候…</source>
        <translation>Checking in, please wait…</translation>
    </message>
</context>
<context>
    <name>CounterWindow</name>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="53" />
        <source>叫下一位</source>
        <translation>Call next</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="54" />
        <source>重呼</source>
        <translation>Recall</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/models.py" line="152" />
        <location filename="../../desk_app/ui/counter/window.py" line="55" />
        <source>过号</source>
        <translation>No-show</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="56" />
        <source>开始办理</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/models.py" line="151" />
        <location filename="../../desk_app/ui/counter/window.py" line="57" />
        <source>办结</source>
        <translation>Complete</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/models.py" line="154" />
        <location filename="../../desk_app/ui/counter/window.py" line="58" />
        <source>挂起</source>
        <translation>Hold</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="59" />
        <source>回呼挂起号</source>
        <translation>Call back held</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/models.py" line="153" />
        <location filename="../../desk_app/ui/counter/window.py" line="60" />
        <source>转移</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="61" />
        <location filename="../../desk_app/ui/counter/window.py" line="284" />
        <source>暂停窗口</source>
        <translation>Pause window</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="62" />
        <source>一件事办件</source>
        <translation>One-thing case</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="63" />
        <source>查找办件</source>
        <translation>Find a case</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="91" />
        <source>%1 号窗口 · 高效办成一件事</source>
        <translation>Window %1 · One-thing service</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="136" />
        <source>当前号</source>
        <translation>Current ticket</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="146" />
        <location filename="../../desk_app/ui/counter/window.py" line="301" />
        <source>空闲 · 按 F1 叫下一位</source>
        <translation>Free · press F1 to call the next visitor</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="188" />
        <source>等候队列</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="192" />
        <source>本窗口挂起</source>
        <translation>Held at this window</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="204" />
        <source>今日已办</source>
        <translation>Done today</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="259" />
        <source>%1 号窗口</source>
        <translation>Window %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="261" />
        <source>● 服务中</source>
        <translation>● Open</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="262" />
        <source>● 暂停服务</source>
        <translation>● Paused</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="263" />
        <source>● 未登录</source>
        <translation>● Not logged in</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="273" />
        <source>等候队列（%1 人）</source>
        <translation>Waiting (%1)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="275" />
        <source>本窗口挂起（%1）</source>
        <translation>Held at this window (%1)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="278" />
        <source>办结 %1 · 过号 %2 · 平均办理 %3</source>
        <translation>Completed %1 · no-shows %2 · average service %3</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="284" />
        <source>恢复服务</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="297" />
        <source>暂停服务中 · 按 F9 恢复</source>
        <translation>Paused · press F9 to resume</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="299" />
        <source>窗口未登录</source>
        <translation>Window not open</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="306" />
        <source>预约签到</source>
        <translation>Appointment check-in</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="309" />
        <source>绿色通道 · %1</source>
        <translation>Priority lane · %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="315" />
        <source>办理中 · 已用 %1</source>
        <translation>Serving · %1 so far</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="319" />
        <source> · 已重呼 %1 次</source>
        <translation> · recalled %1×</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="324" />
        <source>已叫号，等待群众到窗口</source>
        <translation>Called, waiting for the visitor</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="438" />
        <source>当前没有等候的群众。</source>
        <translation>Nobody is waiting.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="441" />
        <source>%1 已叫号尚未处理：请重呼、过号或开始办理。</source>
        <translation>%1 is called but not handled: recall, mark no-show or start.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/window.py" line="481" />
        <source>请先办结、过号、挂起或转移当前号 %1，再退出。</source>
        <translation>Complete, no-show, hold or transfer %1 before logging out.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/models.py" line="29" />
        <source>老年人</source>
        <translation>Elderly</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/models.py" line="30" />
        <source>残疾人</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/models.py" line="31" />
        <source>孕妇</source>
        <translation>Pregnant</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/models.py" line="32" />
        <source>军人</source>
        <translation>Military</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/models.py" line="33" />
        <source>预约</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/models.py" line="34" />
        <source>重点服务</source>
        <translation>Priority service</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/models.py" line="37" />
        <source>普通</source>
        <translation>Standard</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/models.py" line="53" />
        <source>%1 分</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/models.py" line="55" />
        <source>%1 时 %2 分</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/models.py" line="92" />
        <location filename="../../desk_app/ui/counter/models.py" line="145" />
        <source>号码</source>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/models.py" line="93" />
        <location filename="../../desk_app/ui/counter/models.py" line="146" />
        <source>业务</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/models.py" line="94" />
        <source>类别</source>
        <translation>Lane</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/models.py" line="95" />
        <source>已等候</source>
        <translation>Waited</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/models.py" line="135" />
        <source>转入本窗口</source>
        <translation>Transferred to this window</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/models.py" line="144" />
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/models.py" line="147" />
        <source>结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/models.py" line="148" />
        <source>办理用时</source>
        <translation>Service time</translation>
    </message>
</context>
<context>
    <name>DeadLetterDialog</name>
    <message>
        <location filename="../../desk_app/ui/common/dead_letters.py" line="33" />
        <source>同步失败的办件</source>
        <translation>Cases the platform refused</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/dead_letters.py" line="37" />
        <source>办件编号</source>
        <translation>Case no.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/dead_letters.py" line="37" />
        <source>一件事</source>
        <translation>One-thing bundle</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/dead_letters.py" line="37" />
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/dead_letters.py" line="37" />
        <source>尝试次数</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/dead_letters.py" line="43" />
        <source>重新发送 (&amp;R)</source>
        <translation>&amp;Resend</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/dead_letters.py" line="44" />
        <source>标记已处理 (&amp;M)</source>
        <translation>&amp;Mark handled</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/dead_letters.py" line="66" />
        <source>共 %1 条</source>
        <translation>%1 in all</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/dead_letters.py" line="92" />
        <source>标记已处理</source>
        <translation>Mark handled</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/dead_letters.py" line="92" />
        <source>处理说明：</source>
        <translation>How it was handled:</translation>
    </message>
</context>
<context>
    <name>EvaluationInvite</name>
    <message>
        <location filename="../../desk_app/ui/cases/evaluation.py" line="33" />
        <source>邀请评价 (Ctrl+E)</source>
        <translation>Ask for a rating (Ctrl+E)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/evaluation.py" line="81" />
        <source>已请申请人在评价器上评价，等待评价…</source>
        <translation>The applicant was asked to rate on the evaluation pad; waiting…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/evaluation.py" line="82" />
        <source>申请人已评价。</source>
        <translation>The applicant has rated the service.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/evaluation.py" line="83" />
        <source>申请人未评价（已超时），可再次邀请。</source>
        <translation>No rating (timed out); you may ask again.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/evaluation.py" line="84" />
        <source>评价邀请已被下一位申请人替代。</source>
        <translation>The request was replaced by the next applicant's.</translation>
    </message>
</context>
<context>
    <name>EvaluationsPage</name>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="44" />
        <source>分组</source>
        <translation>Group</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="44" />
        <source>评价数</source>
        <translation>Ratings</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="44" />
        <source>平均</source>
        <translation>Mean</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="44" />
        <source>差评</source>
        <translation>Negative</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="48" />
        <source>按窗口</source>
        <translation>By window</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="49" />
        <source>按工作人员</source>
        <translation>By staff</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="50" />
        <source>按一件事</source>
        <translation>By bundle</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="51" />
        <source>按评价维度</source>
        <translation>By dimension</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="57" />
        <source>评价</source>
        <translation>Rating</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="57" />
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="57" />
        <source>应回访日</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="57" />
        <source>办件</source>
        <translation>Case</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="58" />
        <source>一件事</source>
        <translation>One-thing bundle</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="58" />
        <source>等级</source>
        <translation>Level</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="58" />
        <source>意见</source>
        <translation>Comment</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="58" />
        <source>回访结果</source>
        <translation>Follow-up</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="59" />
        <source>申诉</source>
        <translation>Appeal</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="62" />
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="141" />
        <source>已整改</source>
        <translation>Fixed</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="63" />
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="141" />
        <source>已解释说明</source>
        <translation>Explained</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="65" />
        <source>回访记录或复核意见（必填）</source>
        <translation>Follow-up record or review note (required)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="66" />
        <source>记录回访</source>
        <translation>Record follow-up</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="70" />
        <source>申诉成立（不计入）</source>
        <translation>Appeal upheld (not counted)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="71" />
        <source>申诉不成立</source>
        <translation>Appeal rejected</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="72" />
        <source>复核申诉</source>
        <translation>Review appeal</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="90" />
        <source>差评回访（15 个工作日内）</source>
        <translation>Follow-up of negative ratings (within 15 working days)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="120" />
        <source>近 %1 天：评价 %2 条，办结 %3 件，评价率 %4；满意率 %5%；非常满意 %6 · 满意 %7 · 基本满意 %8 · 不满意 %9 · 非常不满意 %10。差评待回访 %11，逾期 %12；申诉待复核 %13。</source>
        <translation>Last %1 days: %2 ratings for %3 concluded cases (rated %4); %5% satisfied; very satisfied %6 · satisfied %7 · fairly %8 · dissatisfied %9 · very dissatisfied %10. Negative ratings to follow up %11, overdue %12; appeals to review %13.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="140" />
        <source>逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="140" />
        <source>待回访</source>
        <translation>To follow up</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="140" />
        <source>已回访</source>
        <translation>Followed up</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="143" />
        <source>待复核</source>
        <translation>To review</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="144" />
        <source>成立</source>
        <translation>Upheld</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="145" />
        <source>不成立</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="166" />
        <source>整体满意度</source>
        <translation>Overall</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="167" />
        <source>服务效率</source>
        <translation>Efficiency</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="168" />
        <source>服务水平</source>
        <translation>Competence</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="169" />
        <source>服务态度</source>
        <translation>Attitude</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="192" />
        <source>请先选择一条差评。</source>
        <translation>Select a negative rating first.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="196" />
        <source>请填写回访记录或复核意见。</source>
        <translation>Write the follow-up record or review note.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="206" />
        <source>已保存。</source>
        <translation>Saved.</translation>
    </message>
</context>
<context>
    <name>EvaluatorWindow</name>
    <message>
        <location filename="../../desk_app/ui/evaluator/window.py" line="38" />
        <source>非常满意</source>
        <translation>Very satisfied</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/evaluator/window.py" line="39" />
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/evaluator/window.py" line="40" />
        <source>基本满意</source>
        <translation>Fairly satisfied</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/evaluator/window.py" line="41" />
        <source>不满意</source>
        <translation>Dissatisfied</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/evaluator/window.py" line="42" />
        <source>非常不满意</source>
        <translation>Very dissatisfied</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/evaluator/window.py" line="45" />
        <source>整体满意度</source>
        <translation>Overall</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/evaluator/window.py" line="46" />
        <source>服务效率</source>
        <translation>Efficiency</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/evaluator/window.py" line="47" />
        <source>服务水平</source>
        <translation>Competence</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/evaluator/window.py" line="48" />
        <source>服务态度</source>
        <translation>Attitude</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/evaluator/window.py" line="78" />
        <source>服务评价</source>
        <translation>Service rating</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/evaluator/window.py" line="104" />
        <source>办理结束后，请您在这里对本次服务进行评价</source>
        <translation>When your business is done, please rate our service here</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/evaluator/window.py" line="115" />
        <source>请您对本次服务进行评价</source>
        <translation>Please rate today's service</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/evaluator/window.py" line="157" />
        <source>提交评价</source>
        <translation>Submit rating</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/evaluator/window.py" line="175" />
        <source>以下各项可选：</source>
        <translation>Optional:</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/evaluator/window.py" line="182" />
        <source>感谢您的评价！</source>
        <translation>Thank you for your rating!</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/evaluator/window.py" line="207" />
        <source>%1 号窗口</source>
        <translation>Window %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/evaluator/window.py" line="209" />
        <source>工作人员：%1（工号 %2）</source>
        <translation>Served by %1 (staff no. %2)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/evaluator/window.py" line="213" />
        <source>本窗口暂停服务</source>
        <translation>This window is closed</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/evaluator/window.py" line="216" />
        <source>正在办理：%1 · %2</source>
        <translation>Now serving: %1 · %2</translation>
    </message>
</context>
<context>
    <name>FindCaseDialog</name>
    <message>
        <location filename="../../desk_app/ui/cases/finder.py" line="46" />
        <source>查找办件</source>
        <translation>Find a case</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/finder.py" line="50" />
        <source>办件编号、身份证号或统一社会信用代码；或扫描回执、告知单上的二维码</source>
        <translation>Case number, resident ID or credit code; or scan the QR code on the receipt or notice</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/finder.py" line="53" />
        <source>按 Enter 查找。</source>
        <translation>Press Enter to search.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/finder.py" line="59" />
        <source>办件编号</source>
        <translation>Case no.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/finder.py" line="60" />
        <source>一件事</source>
        <translation>One-thing bundle</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/finder.py" line="61" />
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/finder.py" line="62" />
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/finder.py" line="63" />
        <source>登记日期</source>
        <translation>Opened</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/finder.py" line="76" />
        <source>继续办理已有办件（补交材料、受理、办结）：</source>
        <translation>Continue an existing case (materials brought now, decision, conclusion):</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/finder.py" line="92" />
        <location filename="../../desk_app/ui/cases/finder.py" line="100" />
        <source>正在查找…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/finder.py" line="122" />
        <source>没有找到办件，请核对后重试。</source>
        <translation>No case found. Check what was typed and try again.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/finder.py" line="128" />
        <source>找到 %1 件：用 ↑↓ 选择，按 Enter 继续办理。</source>
        <translation>%1 cases found: choose with ↑↓, Enter continues.</translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="39" />
        <source>帮办（陪同指导）</source>
        <translation>Accompany (guide the visitor)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="40" />
        <source>代办（凭授权委托书代为办理）</source>
        <translation>Proxy (act for the visitor with a letter)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="41" />
        <source>走流程（体验办事全过程）</source>
        <translation>Walkthrough (walk the whole process)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="44" />
        <source>现场</source>
        <translation>On site</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="45" />
        <source>上门</source>
        <translation>Home visit</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="46" />
        <source>视频</source>
        <translation>Video</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="49" />
        <source>现场接待（无号）</source>
        <translation>Walk-up (no ticket)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="50" />
        <source>凭号票</source>
        <translation>From a ticket</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="51" />
        <source>凭预约</source>
        <translation>From an appointment</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="54" />
        <source>材料</source>
        <translation>Material</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="55" />
        <source>流程</source>
        <translation>Process</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="56" />
        <source>系统</source>
        <translation>Systems</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="57" />
        <source>信息</source>
        <translation>Information</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="58" />
        <source>作风</source>
        <translation>Attitude</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="86" />
        <source>确定 (Ctrl+Enter)</source>
        <translation>OK (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="90" />
        <source>取消 (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
</context>
<context>
    <name>HelperWindow</name>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="63" />
        <source>新建服务</source>
        <translation>New session</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="64" />
        <source>添加环节</source>
        <translation>Add step</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="65" />
        <source>授权委托书</source>
        <translation>Letter of authorization</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="66" />
        <source>中止</source>
        <translation>Suspend</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="67" />
        <source>恢复</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="68" />
        <source>终止</source>
        <translation>Terminate</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="69" />
        <source>办结</source>
        <translation>Complete</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="70" />
        <source>记录堵点</source>
        <translation>Pain point</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="71" />
        <source>打印表单</source>
        <translation>Print form</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="117" />
        <source>帮办代办 · 高效办成一件事</source>
        <translation>Assisted service · One-thing service</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="129" />
        <source>帮办代办工作台</source>
        <translation>Assisted service desk</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="155" />
        <source>今日帮办服务</source>
        <translation>Today's sessions</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="159" />
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="160" />
        <source>开始</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="161" />
        <source>方式</source>
        <translation>Mode</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="162" />
        <source>服务对象</source>
        <translation>Visitor</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="163" />
        <source>一件事</source>
        <translation>One-thing bundle</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="164" />
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="210" />
        <source>Shift+F2 凭号票，Ctrl+F2 凭预约</source>
        <translation>Shift+F2 from a ticket, Ctrl+F2 from an appointment</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="275" />
        <source>共 %1 次，已办结 %2 次，办理用时 %3 分钟</source>
        <translation>%1 sessions, %2 concluded, %3 minutes of work</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="346" />
        <source>已新建代办服务：请先签署授权委托书 (F4)。</source>
        <translation>Proxy session started: record the letter of authorization first (F4).</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="379" />
        <source>中止帮办服务</source>
        <translation>Suspend the session</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="379" />
        <source>打印中止单</source>
        <translation>Print the suspension form</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="380" />
        <source>恢复办理</source>
        <translation>Resume the session</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="380" />
        <source>打印受理单</source>
        <translation>Print the acceptance form</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="381" />
        <source>终止帮办服务</source>
        <translation>Terminate the session</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="381" />
        <source>打印终止单</source>
        <translation>Print the termination form</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="382" />
        <source>办结帮办服务</source>
        <translation>Conclude the session</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="382" />
        <source>打印办结单</source>
        <translation>Print the conclusion form</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="408" />
        <source>已记录堵点 %1，期限 %2</source>
        <translation>Pain point %1 recorded, due %2</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="424" />
        <source>请先在堵点列表中选中一条（↑↓），再按 Ctrl+E。</source>
        <translation>Choose a pain point in the list first (↑↓), then press Ctrl+E.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="434" />
        <source>堵点 %1 解释说明</source>
        <translation>Explain pain point %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/window.py" line="435" />
        <source>解释说明</source>
        <translation>Explanation</translation>
    </message>
</context>
<context>
    <name>InboxDialog</name>
    <message>
        <location filename="../../desk_app/ui/counter/inbox.py" line="100" />
        <source>网办件收件箱</source>
        <translation>Online applications</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/inbox.py" line="103" />
        <source>待审核</source>
        <translation>To review</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/inbox.py" line="104" />
        <source>已一次性告知</source>
        <translation>One-time notice given</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/inbox.py" line="105" />
        <source>已受理</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/inbox.py" line="106" />
        <source>已办结</source>
        <translation>Concluded</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/inbox.py" line="107" />
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/inbox.py" line="113" />
        <source>办件编号</source>
        <translation>Case no.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/inbox.py" line="113" />
        <source>一件事</source>
        <translation>One-thing bundle</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/inbox.py" line="113" />
        <source>方式</source>
        <translation>Mode</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/inbox.py" line="113" />
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/inbox.py" line="114" />
        <source>收件时间</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/inbox.py" line="114" />
        <source>审核期限</source>
        <translation>Review due</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/inbox.py" line="125" />
        <source>审核 (Enter)</source>
        <translation>Review (Enter)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/inbox.py" line="130" />
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/inbox.py" line="146" />
        <source>正在读取…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/inbox.py" line="155" />
        <source>全程网办</source>
        <translation>Fully online</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/inbox.py" line="155" />
        <source>网上申请、窗口取件</source>
        <translation>Online, collected at the counter</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/inbox.py" line="163" />
        <source>（逾期）</source>
        <translation> (late)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/inbox.py" line="172" />
        <source>%1 件</source>
        <translation>%1</translation>
    </message>
</context>
<context>
    <name>InboxLine</name>
    <message>
        <location filename="../../desk_app/ui/counter/inbox.py" line="51" />
        <source>网办件 (Ctrl+F10)</source>
        <translation>Online applications (Ctrl+F10)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/inbox.py" line="74" />
        <source>网办件待审 %1 件</source>
        <translation>Online applications to review: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/inbox.py" line="76" />
        <source>（逾期 %1）</source>
        <translation> (%1 late)</translation>
    </message>
</context>
<context>
    <name>KbButton</name>
    <message>
        <location filename="../../desk_app/ui/common/kb_panel.py" line="301" />
        <location filename="../../desk_app/ui/common/kb_panel.py" line="302" />
        <source>政策问答</source>
        <translation>Policy Q&amp;A</translation>
    </message>
</context>
<context>
    <name>KbPanel</name>
    <message>
        <location filename="../../desk_app/ui/common/kb_panel.py" line="81" />
        <source>政策问答</source>
        <translation>Policy Q&amp;A</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/kb_panel.py" line="84" />
        <source>输入群众的问题, 如: 生孩子要带什么</source>
        <translation>Type the visitor's question (in Chinese), e.g. 生孩子要带什么</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/kb_panel.py" line="126" />
        <source>只查本事项: %1</source>
        <translation>Only this bundle: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/kb_panel.py" line="142" />
        <source>正在查询…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/kb_panel.py" line="153" />
        <source>本事项常见问题 %1 条</source>
        <translation>%1 common questions of this bundle</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/kb_panel.py" line="155" />
        <source>请输入问题查询</source>
        <translation>Type a question to search</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/kb_panel.py" line="163" />
        <source>找到 %1 条, 按相关度排列</source>
        <translation>%1 found, most relevant first</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/kb_panel.py" line="166" />
        <source>没有找到答案, 问题已转值班长补充。</source>
        <translation>No answer found; the question went to the supervisor's list.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/kb_panel.py" line="173" />
        <source> [待复核]</source>
        <translation> [review due]</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/kb_panel.py" line="205" />
        <source>依据</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/kb_panel.py" line="206" />
        <source>一件事</source>
        <translation>One-thing bundle</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/kb_panel.py" line="207" />
        <source>版本</source>
        <translation>version</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/kb_panel.py" line="208" />
        <source>复核日期</source>
        <translation>review by</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/kb_panel.py" line="210" />
        <source>已过复核日期, 请核实后再答复群众</source>
        <translation>Past its review date: check it before answering the visitor</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/kb_panel.py" line="211" />
        <source>未核实：本答复尚未与官方文本核对，答复群众时请说明以部门办事指南为准</source>
        <translation>Unverified: this answer is not checked against an official text; tell the visitor the department's guide prevails</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/kb_panel.py" line="212" />
        <source>已核实</source>
        <translation>Verified</translation>
    </message>
</context>
<context>
    <name>KbPanelWindow</name>
    <message>
        <location filename="../../desk_app/ui/common/kb_panel.py" line="264" />
        <source>政策问答</source>
        <translation>Policy Q&amp;A</translation>
    </message>
</context>
<context>
    <name>KioskConsultPage</name>
    <message>
        <location filename="../../desk_app/ui/kiosk/consult.py" line="41" />
        <source>生孩子要办什么</source>
        <translation>A new baby: what to do</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/consult.py" line="42" />
        <source>办退休要多久</source>
        <translation>Retirement: how long</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/consult.py" line="43" />
        <source>营业执照地址变更</source>
        <translation>Business licence: new address</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/consult.py" line="44" />
        <source>老人去世要办什么</source>
        <translation>After a death: what to do</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/consult.py" line="45" />
        <source>迁户口带什么</source>
        <translation>Moving a hukou: what to bring</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/consult.py" line="46" />
        <source>申请公租房</source>
        <translation>Public rental housing</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/consult.py" line="50" />
        <source>个人办事</source>
        <translation>For individuals</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/consult.py" line="51" />
        <source>企业办事</source>
        <translation>For businesses</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/consult.py" line="78" />
        <source>政策咨询: 请输入您想问的问题</source>
        <translation>Ask a question about a service</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/consult.py" line="81" />
        <source>例如: 生孩子要带什么材料</source>
        <translation>In Chinese, e.g. 生孩子要带什么材料</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/consult.py" line="88" />
        <source>查询</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/consult.py" line="156" />
        <source>返回取号</source>
        <translation>Back to tickets</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/consult.py" line="158" />
        <source>答复仅供参考, 以窗口工作人员的告知为准。</source>
        <translation>Answers are for reference; the staff at the window have the final word.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/consult.py" line="196" />
        <source>不知道办哪件事? 政策咨询</source>
        <translation>Not sure which service? Ask a question</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/consult.py" line="215" />
        <source>请点击您要办的事:</source>
        <translation>Touch what you need to do:</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/consult.py" line="226" />
        <source>请点击您想了解的问题:</source>
        <translation>Touch the question you want answered:</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/consult.py" line="229" />
        <source>这件事暂无答复, 请取号到窗口或导服台咨询。</source>
        <translation>No answers for this yet. Please take a number or ask at the information desk.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/consult.py" line="245" />
        <source>请先输入问题, 或点击上面的常见问题。</source>
        <translation>Type a question first, or touch a common question above.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/consult.py" line="219" />
        <location filename="../../desk_app/ui/kiosk/consult.py" line="247" />
        <source>正在查询…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/consult.py" line="258" />
        <source>请点击最接近您问题的一条:</source>
        <translation>Touch the one closest to your question:</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/consult.py" line="262" />
        <source>暂时没有找到答案, 我们已记录您的问题。请取号到窗口或导服台咨询。</source>
        <translation>No answer yet; we have noted your question. Please take a number or ask at the information desk.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/consult.py" line="266" />
        <source>暂时无法查询, 请到导服台咨询。</source>
        <translation>Search is not available now; please ask at the information desk.</translation>
    </message>
</context>
<context>
    <name>KioskView</name>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="69" />
        <source>自助取号</source>
        <translation>Take a ticket</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="98" />
        <source>政务服务中心</source>
        <translation>Government Service Centre</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="102" />
        <source>高效办成一件事 · 自助取号</source>
        <translation>One-thing service · Take a ticket</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="144" />
        <source>普通</source>
        <translation>Standard</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="145" />
        <source>老年人</source>
        <translation>Elderly</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="146" />
        <source>残疾人</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="147" />
        <source>孕妇</source>
        <translation>Pregnant</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="148" />
        <source>军人</source>
        <translation>Military</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="167" />
        <source>正在读取可办理的事项…</source>
        <translation>Loading services…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="168" />
        <source>今日暂无可取号的事项, 请咨询导服台</source>
        <translation>No service takes tickets today; please ask at the help desk</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="183" />
        <source>① 优先人群请先选择 (绿色通道), 其他群众无需选择</source>
        <translation>① Priority visitors choose their lane first; everyone else skips this</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="186" />
        <source>② 请点击要办理的事项取号</source>
        <translation>② Touch the service you need</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="209" />
        <source>取号成功</source>
        <translation>Your ticket</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="242" />
        <source>重新打印</source>
        <translation>Print again</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="249" />
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="324" />
        <source>正在取号, 请稍候…</source>
        <translation>Issuing your ticket…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="328" />
        <source>暂时无法取号, 请稍后再试或联系导服人员</source>
        <translation>Tickets can't be issued right now; try again or ask the staff</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="332" />
        <source>连接中断, 正在重试…</source>
        <translation>Connection lost, retrying…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="350" />
        <source>绿色通道 · %1</source>
        <translation>Priority lane · %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="354" />
        <source>前面没有人等候, 请留意叫号</source>
        <translation>Nobody ahead of you; watch for your number</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="357" />
        <source>前面还有 %1 人</source>
        <translation>%1 ahead of you</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="359" />
        <source>预计等候约 %1 分钟</source>
        <translation>About %1 min wait</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="367" />
        <source>未配置号票打印机: 号票只保存为文件, 在 %1</source>
        <translation>No ticket printer configured: tickets are only saved as files, in %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="376" />
        <source>正在打印号票…</source>
        <translation>Printing your ticket…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="377" />
        <source>请取走号票</source>
        <translation>Please take your ticket</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="378" />
        <source>打印失败, 请凭此屏幕号码等候, 或联系导服人员</source>
        <translation>Printing failed: remember the number on screen, or ask the staff</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="379" />
        <source>未接打印机, 号票没有打印; 请记住屏幕上的号码</source>
        <translation>No printer: the ticket was not printed; please remember the number on the screen</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="380" />
        <source>打印机缺纸或未就绪, 本次不出号票; 请记住或拍下屏幕上的号码</source>
        <translation>The printer is out of paper or not ready: no paper ticket this time. Please remember or photograph the number on the screen</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="390" />
        <source>号票文件: %1</source>
        <translation>Ticket file: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="410" />
        <source>星期一</source>
        <translation>Monday</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="411" />
        <source>星期二</source>
        <translation>Tuesday</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="412" />
        <source>星期三</source>
        <translation>Wednesday</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="413" />
        <source>星期四</source>
        <translation>Thursday</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="414" />
        <source>星期五</source>
        <translation>Friday</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="415" />
        <source>星期六</source>
        <translation>Saturday</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="416" />
        <source>星期日</source>
        <translation>Sunday</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="418" />
        <source>%1月%2日</source>
        <translation>%2/%1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/view.py" line="421" />
        <source>%1 秒后自动返回首页</source>
        <translation>Back to the start in %1 s</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../desk_app/ui/kiosk/window.py" line="140" />
        <source>缺纸</source>
        <translation>out of paper</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/window.py" line="141" />
        <source>纸仓盖打开</source>
        <translation>cover open</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/window.py" line="142" />
        <source>脱机</source>
        <translation>offline</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/window.py" line="143" />
        <source>无法连接</source>
        <translation>not reachable</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/window.py" line="149" />
        <source>号票打印机%1: 暂停出纸, 号码只显示在屏幕上</source>
        <translation>Ticket printer %1: no paper tickets for now, numbers are shown on screen only</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/window.py" line="266" />
        <source>预约签到</source>
        <translation>Appointment check-in</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <location filename="../../desk_app/ui/common/password_dialog.py" line="29" />
        <source>界面语言：中文</source>
        <translation>Interface language: English</translation>
    </message>
</context>
<context>
    <name>LivePage</name>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="45" />
        <source>业务</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="45" />
        <source>等候人数</source>
        <translation>Queue length</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="45" />
        <source>最长等候</source>
        <translation>Longest wait</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="45" />
        <location filename="../../desk_app/ui/supervisor/window.py" line="50" />
        <source>今日办结</source>
        <translation>Served today</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="46" />
        <source>今日过号</source>
        <translation>No-shows today</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="49" />
        <source>窗口</source>
        <translation>Window</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="49" />
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="49" />
        <source>工作人员</source>
        <translation>Staff</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="49" />
        <source>当前号</source>
        <translation>Current ticket</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="50" />
        <source>办理时长</source>
        <translation>Serving for</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="50" />
        <source>暂停时长</source>
        <translation>Paused for</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="54" />
        <source>各业务</source>
        <translation>Services</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="55" />
        <source>各窗口</source>
        <translation>Windows</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="70" />
        <source>办理中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="70" />
        <source>暂停</source>
        <translation>Paused</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="70" />
        <source>未登录</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="91" />
        <source>叫号中</source>
        <translation>Calling</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../../desk_app/ui/common/lock.py" line="67" />
        <source>已锁定</source>
        <translation>Locked</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/lock.py" line="70" />
        <source>工号 %1 · 请输入密码解锁</source>
        <translation>Staff %1 · enter your password to unlock</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/lock.py" line="74" />
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/lock.py" line="77" />
        <source>解锁  (Enter)</source>
        <translation>Unlock  (Enter)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/lock.py" line="97" />
        <source>请输入密码。</source>
        <translation>Enter the password.</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="37" />
        <source>窗口工作台</source>
        <translation>Counter workstation</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="38" />
        <source>帮办代办</source>
        <translation>Assisted service</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="39" />
        <source>取号机</source>
        <translation>Ticket kiosk</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="40" />
        <source>叫号屏</source>
        <translation>Call display</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="41" />
        <source>值班长</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="42" />
        <source>改革成效大屏</source>
        <translation>Reform progress wall</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="43" />
        <source>评价器</source>
        <translation>Evaluation pad</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="44" />
        <source>窗口屏</source>
        <translation>Window strip</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="107" />
        <source>高效办成一件事 · 登录</source>
        <translation>One-thing service · Log in</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="110" />
        <source>高效办成一件事 窗口系统</source>
        <translation>One-thing service windows</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="112" />
        <source>请选择本机用途并登录</source>
        <translation>Choose this PC's role and log in</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="121" />
        <source>工号，例如 s01</source>
        <translation>Staff code, e.g. s01</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="122" />
        <location filename="../../desk_app/ui/common/login.py" line="134" />
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="127" />
        <source>%1 号窗口</source>
        <translation>Window %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="132" />
        <source>用途</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="133" />
        <source>工号</source>
        <translation>Staff code</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="135" />
        <source>窗口</source>
        <translation>Window</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="143" />
        <location filename="../../desk_app/ui/common/login.py" line="274" />
        <source>登录  (Enter)</source>
        <translation>Log in  (Enter)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="148" />
        <source>数据库：</source>
        <translation>Database: </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="178" />
        <source>请输入工号。</source>
        <translation>Enter your staff code.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="182" />
        <source>请输入密码。</source>
        <translation>Enter the password.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="185" />
        <source>正在连接数据库…</source>
        <translation>Connecting to the database…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="210" />
        <source>本大厅还没有可登录的账户：请运行 desk-app demo seed（演示）或 desk-app staff add 工号 --name 姓名 --role admin --password-stdin</source>
        <translation>No account can log in yet: run desk-app demo seed (demo) or desk-app staff add CODE --name NAME --role admin --password-stdin</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="236" />
        <source>正在登录窗口…</source>
        <translation>Logging in at the window…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="245" />
        <source>须先修改临时密码才能登录。</source>
        <translation>Change the temporary password first to log in.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/login.py" line="261" />
        <source>数据库版本比本程序新，请先升级本程序。</source>
        <translation>The database is newer than this program: please upgrade the program.</translation>
    </message>
</context>
<context>
    <name>ModeBadge</name>
    <message>
        <location filename="../../desk_app/ui/common/mode_badge.py" line="13" />
        <source>培训厅</source>
        <translation>Training hall</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/mode_badge.py" line="14" />
        <source>演示厅</source>
        <translation>Demo hall</translation>
    </message>
</context>
<context>
    <name>OpeningBar</name>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="47" />
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="104" />
        <source>正常办公</source>
        <translation>Regular hours</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="48" />
        <source>午间延时服务</source>
        <translation>Midday extended hours</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="49" />
        <source>晚间延时服务</source>
        <translation>Evening extended hours</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="50" />
        <source>周六专场</source>
        <translation>Saturday session</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="51" />
        <source>专场服务</source>
        <translation>Special session</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="83" />
        <source>当前不在办理时间, 暂停取号</source>
        <translation>The hall is closed: no tickets now</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="87" />
        <source>; 下次开放: %1 %2 (%3)</source>
        <translation>; next opening: %1 %2 (%3)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="90" />
        <source>%1月%2日</source>
        <translation>%2/%1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="100" />
        <source>%1进行中</source>
        <translation>%1 in progress</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="102" />
        <source> (至 %1)</source>
        <translation> (until %1)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="106" />
        <source>, %1 停止取号</source>
        <translation>, tickets until %1</translation>
    </message>
</context>
<context>
    <name>PainDialog</name>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="412" />
        <source>记录堵点</source>
        <translation>Pain point</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="422" />
        <source>群众遇到了什么问题，在哪个环节</source>
        <translation>What blocked the visitor, and at which step</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="425" />
        <source>堵点类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="426" />
        <source>一件事</source>
        <translation>One-thing bundle</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="427" />
        <source>事项</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="428" />
        <source>堵点描述</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="429" />
        <source>责任部门</source>
        <translation>Owner department</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="437" />
        <source>（整个一件事）</source>
        <translation>(the whole bundle)</translation>
    </message>
</context>
<context>
    <name>PrinterChoice</name>
    <message>
        <location filename="../../desk_app/ui/common/paper.py" line="71" />
        <source>选择本机打印机</source>
        <translation>This PC's printer</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/paper.py" line="73" />
        <source>（不打印，只保存 PDF）</source>
        <translation>(no printer: save PDFs only)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/paper.py" line="80" />
        <source>%1（未找到）</source>
        <translation>%1 (not found)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/paper.py" line="89" />
        <source>回执、告知单等 A4 文书打印到：</source>
        <translation>Print receipts, notices and other A4 papers on:</translation>
    </message>
</context>
<context>
    <name>ProgressWall</name>
    <message>
        <location filename="../../desk_app/ui/display/progress_wall.py" line="91" />
        <location filename="../../desk_app/ui/display/progress_wall.py" line="95" />
        <source>高效办成一件事 · 改革成效</source>
        <translation>One Thing, Done Efficiently · Reform progress</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/progress_wall.py" line="177" />
        <source>跑动</source>
        <translation>Trips</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/progress_wall.py" line="178" />
        <source>环节</source>
        <translation>Steps</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/progress_wall.py" line="179" />
        <source>时限</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/progress_wall.py" line="180" />
        <source>材料</source>
        <translation>Material</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/progress_wall.py" line="194" />
        <source>目标 </source>
        <translation>Goal </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/progress_wall.py" line="196" />
        <source>本厅实测：当日办结（%1 件）</source>
        <translation>Measured here: same-day (%1 cases)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/progress_wall.py" line="199" />
        <source>本厅实测：暂无改革前数据</source>
        <translation>Measured here: no figure from before the reform</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/progress_wall.py" line="203" />
        <source>本厅实测 -%1%（%2 件）</source>
        <translation>Measured here -%1% (%2 cases)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/progress_wall.py" line="216" />
        <source>数据共享免提交</source>
        <translation>from shared data, not needed on paper</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/progress_wall.py" line="219" />
        <source>%1 份</source>
        <translation>%1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/progress_wall.py" line="225" />
        <source>接口调用 %1 次</source>
        <translation>%1 interface calls</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/progress_wall.py" line="240" />
        <source>实测为本厅已办结办件的平均值：跑动 = 申请人到厅的天数，环节 = 经手窗口数加转办次数，时限 = 受理至办结的工作日，材料 = 实际收取的纸质材料（不含数据共享、电子证照）。红色表示实测差于承诺。</source>
        <translation>Measured = mean over this hall's concluded cases: trips = days the applicant came, steps = windows handling the case plus transfers, time = working days from opening to conclusion, materials = paper actually collected (not shared data or e-licences). Red: worse than the claim.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/progress_wall.py" line="266" />
        <source>第 %1/%2 页  </source>
        <translation>Page %1/%2  </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/progress_wall.py" line="282" />
        <source>已办结 %1 件</source>
        <translation>%1 cases concluded</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/progress_wall.py" line="292" />
        <source> 工作日</source>
        <translation> days</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/progress_wall.py" line="294" />
        <source>实测 </source>
        <translation>Measured </translation>
    </message>
</context>
<context>
    <name>ReadCardButton</name>
    <message>
        <location filename="../../desk_app/ui/common/idcard.py" line="35" />
        <source>读身份证 (%1)</source>
        <translation>Read ID card (%1)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/idcard.py" line="35" />
        <source>读身份证</source>
        <translation>Read ID card</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="388" />
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="388" />
        <source>说明（可选）</source>
        <translation>Note (optional)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="397" />
        <source>请填写原因。</source>
        <translation>Give the reason.</translation>
    </message>
</context>
<context>
    <name>ReformPage</name>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="230" />
        <source>一件事</source>
        <translation>One-thing bundle</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="230" />
        <source>办结件数</source>
        <translation>Concluded</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="230" />
        <source>环节 承诺→实测</source>
        <translation>Steps claim (measured)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="231" />
        <source>材料 承诺→实测</source>
        <translation>Materials claim (measured)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="231" />
        <source>跑动 实测</source>
        <translation>Trips measured</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="231" />
        <source>时限(工作日) 承诺→实测</source>
        <translation>Days claim (measured)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="232" />
        <source>差于承诺</source>
        <translation>Worse than claimed</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="232" />
        <source>共享获取 / 转纸质</source>
        <translation>Shared / fell back</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="254" />
        <source>改革目标（首批一件事平均）：跑动 -%1% · 环节 -%2% · 时限 -%3% · 材料 -%4%</source>
        <translation>Reform goals (first batch, average): trips -%1% · steps -%2% · time -%3% · materials -%4%</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="261" />
        <source>环节</source>
        <translation>Steps</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="262" />
        <source>材料</source>
        <translation>Material</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="263" />
        <source>跑动</source>
        <translation>Trips</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="264" />
        <source>时限</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/reviews.py" line="274" />
        <source>当日办结</source>
        <translation>same day</translation>
    </message>
</context>
<context>
    <name>ReplyDialog</name>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="57" />
        <source>如 newborn-001（可选）</source>
        <translation>e.g. newborn-001 (optional)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="59" />
        <source>群众诉求</source>
        <translation>Citizen's request</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="60" />
        <source>内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="62" />
        <source>知识库条目</source>
        <translation>Knowledge-base entry</translation>
    </message>
</context>
<context>
    <name>ScanDialog</name>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="95" />
        <source>拍照/扫描</source>
        <translation>Photo/scan</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="118" />
        <source>拍照 (Space)</source>
        <translation>Take photo (Space)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="121" />
        <source>选择文件… (Ctrl+O)</source>
        <translation>Choose files… (Ctrl+O)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="122" />
        <source>移除 (Delete)</source>
        <translation>Remove (Delete)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="124" />
        <source>前移 (Ctrl+↑)</source>
        <translation>Earlier (Ctrl+↑)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="127" />
        <source>后移 (Ctrl+↓)</source>
        <translation>Later (Ctrl+↓)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="129" />
        <source>转90° (Ctrl+R)</source>
        <translation>Turn 90° (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="130" />
        <source>裁边 (Ctrl+E)</source>
        <translation>Trim edges (Ctrl+E)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="132" />
        <source>存入办件 (Ctrl+Enter)</source>
        <translation>Save to case (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="137" />
        <source>材料：</source>
        <translation>Material:</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="147" />
        <source>已存入本材料（打开须主管授权并说明理由）：</source>
        <translation>Already in this material (opening needs a supervisor and a reason):</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="157" />
        <source>扫描文件夹：%1</source>
        <translation>Scan folder: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="159" />
        <source>本机未设置扫描文件夹（请管理员添加扫描设备）</source>
        <translation>No scan folder on this PC (an administrator adds the scanner device)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="201" />
        <source>选择扫描件</source>
        <translation>Choose scanned pages</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="203" />
        <source>图片或 PDF (*.jpg *.jpeg *.png *.tif *.tiff *.bmp *.pdf)</source>
        <translation>Images or PDF (*.jpg *.jpeg *.png *.tif *.tiff *.bmp *.pdf)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="213" />
        <source>摄像头尚未就绪，请稍候再拍。</source>
        <translation>The camera is not ready yet: try again in a moment.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="239" />
        <source>PDF 文件不能旋转或裁边。</source>
        <translation>A PDF cannot be turned or trimmed.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="258" />
        <source>待存入：%1 页</source>
        <translation>Waiting: %1 pages</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="283" />
        <source>%1 页 · %2 KB</source>
        <translation>%1 pp · %2 KB</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="293" />
        <source>查看电子件</source>
        <translation>Open scanned file</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="293" />
        <source>查看原因（记入审计日志）：</source>
        <translation>Why it is opened (kept in the audit trail):</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="307" />
        <source>电子件</source>
        <translation>Scanned file</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="315" />
        <source>请先选择材料和页面。</source>
        <translation>Choose the material and the pages first.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="334" />
        <source>正在上传…</source>
        <translation>Adding…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan.py" line="341" />
        <source>已存入办件：%1 页，%2 KB</source>
        <translation>Added to the case: %1 pages, %2 KB</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan_camera.py" line="73" />
        <source>未找到摄像头/高拍仪（%1），请用扫描文件夹或选择文件。</source>
        <translation>No camera or document camera found (%1): use the scan folder or choose files.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan_camera.py" line="97" />
        <source>摄像头：%1</source>
        <translation>Camera: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan_camera.py" line="129" />
        <source>拍照失败：%1</source>
        <translation>Photo failed: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/cases/scan_camera.py" line="135" />
        <source>摄像头不可用：%1</source>
        <translation>Camera unavailable: %1</translation>
    </message>
</context>
<context>
    <name>SessionLine</name>
    <message>
        <location filename="../../desk_app/ui/display/calendar.py" line="24" />
        <source>午间延时服务</source>
        <translation>Midday extended hours</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/calendar.py" line="25" />
        <source>晚间延时服务</source>
        <translation>Evening extended hours</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/calendar.py" line="26" />
        <source>周六专场</source>
        <translation>Saturday session</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/calendar.py" line="27" />
        <source>专场服务</source>
        <translation>Special session</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/calendar.py" line="47" />
        <source>%1进行中</source>
        <translation>%1 in progress</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/display/calendar.py" line="50" />
        <source> · 至 %1</source>
        <translation> · until %1</translation>
    </message>
</context>
<context>
    <name>SessionPanel</name>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="34" />
        <source>帮办</source>
        <translation>Accompany</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="35" />
        <source>代办</source>
        <translation>Proxy</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="36" />
        <source>走流程</source>
        <translation>Walkthrough</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="39" />
        <source>现场</source>
        <translation>On site</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="40" />
        <source>上门</source>
        <translation>Home visit</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="41" />
        <source>视频</source>
        <translation>Video</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="44" />
        <source>办理中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="45" />
        <source>已中止</source>
        <translation>Suspended</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="46" />
        <source>已终止</source>
        <translation>Terminated</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="47" />
        <source>已办结</source>
        <translation>Concluded</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="50" />
        <source>待分派</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="51" />
        <source>整改中</source>
        <translation>Assigned</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="52" />
        <source>已解决</source>
        <translation>Resolved</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="53" />
        <source>已解释</source>
        <translation>Explained</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="56" />
        <source>材料</source>
        <translation>Material</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="57" />
        <source>流程</source>
        <translation>Process</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="58" />
        <source>系统</source>
        <translation>Systems</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="59" />
        <source>信息</source>
        <translation>Information</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="60" />
        <source>作风</source>
        <translation>Attitude</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="119" />
        <source>请选择或新建一次帮办服务 (F2)</source>
        <translation>Choose a session, or start one (F2)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="131" />
        <source>序号</source>
        <translation>#</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="132" />
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="133" />
        <source>窗口/部门</source>
        <translation>Window / department</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="134" />
        <source>办理内容</source>
        <translation>What was done</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="135" />
        <source>递交材料</source>
        <translation>Materials handed in</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="136" />
        <source>结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="137" />
        <source>用时</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="143" />
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="144" />
        <source>堵点类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="145" />
        <source>一件事</source>
        <translation>One-thing bundle</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="146" />
        <source>堵点</source>
        <translation>Pain point</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="147" />
        <source>责任部门</source>
        <translation>Owner department</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="148" />
        <source>期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="149" />
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="155" />
        <source>办理过程</source>
        <translation>Timeline</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="156" />
        <location filename="../../desk_app/ui/helper/panel.py" line="276" />
        <source>堵点（逾期在前）</source>
        <translation>Pain points (overdue first)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="157" />
        <source>选中一条后按 Ctrl+E 解释说明</source>
        <translation>Choose one and press Ctrl+E to explain it</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="168" />
        <source>现场接待</source>
        <translation>walk-up</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="170" />
        <source>服务对象：%1  %2    一件事：%3    来源：%4</source>
        <translation>Visitor: %1  %2    Bundle: %3    From: %4</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="185" />
        <source>办件：</source>
        <translation>Cases: </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="188" />
        <source>（%1）</source>
        <translation> (%1)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="194" />
        <source>号票：</source>
        <translation>Tickets: </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="196" />
        <source>原因：</source>
        <translation>Reason: </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="198" />
        <source>环节 %1 个，跑动 %2 次，用时 %3 分钟</source>
        <translation>%1 steps, %2 trips, %3 minutes</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="211" />
        <source>%1 号窗口</source>
        <translation>Window %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="215" />
        <source>%1 分钟</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="228" />
        <source>代办尚无授权委托书：按 F4 签署后方可代为办理</source>
        <translation>No letter of authorization yet: press F4 to record it before acting for the visitor</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="232" />
        <source>授权委托书：%1 委托 %2，事项：%3，有效期至 %4</source>
        <translation>Authorization: %1 appoints %2 for %3, valid until %4</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="247" />
        <source>（已过期，请重新签署）</source>
        <translation> (expired: sign a new one)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/panel.py" line="259" />
        <source>逾期</source>
        <translation>Overdue</translation>
    </message>
</context>
<context>
    <name>StartDialog</name>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="165" />
        <source>新建帮办服务</source>
        <translation>New assisted-service session</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="172" />
        <source>（暂不确定）</source>
        <translation>(not known yet)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="174" />
        <source>服务对象姓名</source>
        <translation>Visitor's name</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="176" />
        <source>18 位居民身份证号码</source>
        <translation>18-character resident ID</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="177" />
        <source>服务方式</source>
        <translation>Mode</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="178" />
        <source>服务渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="179" />
        <source>来源</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="180" />
        <source>号码</source>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="181" />
        <source>一件事</source>
        <translation>One-thing bundle</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="182" />
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="189" />
        <source>身份证号</source>
        <translation>Resident ID</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="202" />
        <source>号票号码，例如 A012</source>
        <translation>Ticket number, e.g. A012</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="202" />
        <source>预约号</source>
        <translation>Appointment code</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="224" />
        <source>请填写号票号码或预约号。</source>
        <translation>Give the ticket number or the appointment code.</translation>
    </message>
</context>
<context>
    <name>StatsPage</name>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="73" />
        <source>按业务</source>
        <translation>By service</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="74" />
        <source>按窗口</source>
        <translation>By window</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="75" />
        <source>按工作人员</source>
        <translation>By staff</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="76" />
        <source>按小时</source>
        <translation>By hour</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="77" />
        <source>按星期</source>
        <translation>By weekday</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="78" />
        <source>按时段</source>
        <translation>By session</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="79" />
        <source>按渠道</source>
        <translation>By channel</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="80" />
        <source>按日</source>
        <translation>By day</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="84" />
        <source>统计 (Ctrl+R)</source>
        <translation>Compute (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="88" />
        <source>导出 CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="89" />
        <source>导出 Excel</source>
        <translation>Export Excel</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="90" />
        <source>保存图表 PNG</source>
        <translation>Save charts (PNG)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="91" />
        <source>月报 PDF</source>
        <translation>Monthly PDF</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="97" />
        <source>从</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="99" />
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="107" />
        <source>分组</source>
        <translation>Group</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="107" />
        <source>取号</source>
        <translation>Arrivals</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="107" />
        <source>叫号</source>
        <translation>Called</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="107" />
        <source>办结</source>
        <translation>Complete</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="107" />
        <source>过号</source>
        <translation>No-show</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="108" />
        <source>过号率</source>
        <translation>No-show rate</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="108" />
        <source>等候P50(分)</source>
        <translation>Wait P50
(min)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="108" />
        <source>等候P90(分)</source>
        <translation>Wait P90
(min)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="109" />
        <source>等候P95(分)</source>
        <translation>Wait P95
(min)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="109" />
        <source>办理P50(分)</source>
        <translation>Service P50
(min)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="109" />
        <source>办理P90(分)</source>
        <translation>Service P90
(min)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="110" />
        <source>达标率%</source>
        <translation>Within
target %</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="110" />
        <source>空闲(时)</source>
        <translation>Idle (h)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="141" />
        <source>正在统计…</source>
        <translation>Computing…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="159" />
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="186" />
        <source>%1 至 %2：取号 %3，办结 %4，达标线 %5 分钟</source>
        <translation>%1 to %2: %3 arrivals, %4 served, target %5 minutes</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="192" />
        <source>；数据共享调用 %1 次，免提交材料 %2 份</source>
        <translation>; shared data: %1 calls, %2 materials not handed in</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="212" />
        <source>
网办占比 %1，审核用时 p50 %2 分钟；12345 工单 %3 件，按时签收 %4，按时答复 %5</source>
        <translation>
Online share %1, review p50 %2 min; 12345: %3 work orders, %4 signed on time, %5 replied on time</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="225" />
        <source>（未叫号）</source>
        <translation>(never called)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="231" />
        <source>周一</source>
        <translation>Mon</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="231" />
        <source>周二</source>
        <translation>Tue</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="231" />
        <source>周三</source>
        <translation>Wed</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="231" />
        <source>周四</source>
        <translation>Thu</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="232" />
        <source>周五</source>
        <translation>Fri</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="232" />
        <location filename="../../desk_app/ui/supervisor/stats.py" line="238" />
        <source>周六</source>
        <translation>Sat</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="232" />
        <source>周日</source>
        <translation>Sun</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="235" />
        <source>常规时段</source>
        <translation>Regular hours</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="236" />
        <source>午间延时</source>
        <translation>Midday</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="237" />
        <source>晚间延时</source>
        <translation>Evening</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="239" />
        <source>现场取号</source>
        <translation>Walk-in</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="240" />
        <source>预约</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="252" />
        <source>统计</source>
        <translation>statistics</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="255" />
        <source>导出统计</source>
        <translation>Export statistics</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="262" />
        <source>请先统计。</source>
        <translation>Compute the figures first.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="267" />
        <source>已导出：</source>
        <translation>Exported: </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="273" />
        <source>保存图表到文件夹</source>
        <translation>Save charts to folder</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="285" />
        <source>已保存 %1 张图表到 </source>
        <translation>Saved %1 charts to </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="292" />
        <source>保存月报</source>
        <translation>Save monthly report</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="292" />
        <source>月报</source>
        <translation>monthly-report</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="302" />
        <source>正在生成月报…</source>
        <translation>Writing the monthly report…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/stats.py" line="305" />
        <source>已生成月报：</source>
        <translation>Monthly report written: </translation>
    </message>
</context>
<context>
    <name>StepDialog</name>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="245" />
        <source>添加办理环节</source>
        <translation>Add a step</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="247" />
        <source>窗口</source>
        <translation>Window</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="248" />
        <location filename="../../desk_app/ui/helper/dialogs.py" line="275" />
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="258" />
        <source>例如：递交材料、核验身份、领取结果</source>
        <translation>e.g. hand in materials, identity check, collect the result</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="260" />
        <source>（不针对具体事项）</source>
        <translation>(no particular item)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="265" />
        <source>自动（自上一环节起）</source>
        <translation>Automatic (since the last step)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="267" />
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="270" />
        <source>递交的材料，用顿号或逗号分隔</source>
        <translation>Materials handed in, separated by commas</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="272" />
        <source>本环节需另跑一次（跑动）</source>
        <translation>This step took a trip of its own</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="273" />
        <source>地点</source>
        <translation>Where</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="274" />
        <source>窗口号</source>
        <translation>Window</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="276" />
        <source>办理内容</source>
        <translation>What was done</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="277" />
        <source>事项</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="278" />
        <source>用时</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="279" />
        <source>递交材料</source>
        <translation>Materials handed in</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="280" />
        <source>结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/helper/dialogs.py" line="294" />
        <source>请填写部门。</source>
        <translation>Give the department.</translation>
    </message>
</context>
<context>
    <name>StripWindow</name>
    <message>
        <location filename="../../desk_app/ui/strip/window.py" line="63" />
        <source>窗口屏</source>
        <translation>Window strip</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/strip/window.py" line="69" />
        <source>%1 号窗口</source>
        <translation>Window %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/strip/window.py" line="113" />
        <source>暂停服务</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/strip/window.py" line="114" />
        <source>正在办理</source>
        <translation>Now serving</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/strip/window.py" line="115" />
        <source>欢迎办理</source>
        <translation>Welcome</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/strip/window.py" line="120" />
        <source>连接中断, 正在重试…</source>
        <translation>Connection lost, retrying…</translation>
    </message>
</context>
<context>
    <name>SupervisorWindow</name>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="223" />
        <source>值班长 · 高效办成一件事</source>
        <translation>Supervisor · One Thing, Done Efficiently</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="225" />
        <source>值班长工作台</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="231" />
        <source>登录：</source>
        <translation>Logged in: </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="249" />
        <source>大厅实况 (F1)</source>
        <translation>Live hall (F1)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="250" />
        <location filename="../../desk_app/ui/supervisor/window.py" line="293" />
        <source>告警 (F2)</source>
        <translation>Alerts (F2)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="251" />
        <source>统计 (F3)</source>
        <translation>Statistics (F3)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="252" />
        <source>好差评 (F4)</source>
        <translation>Ratings (F4)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="253" />
        <source>改革成效 (F5)</source>
        <translation>Reform (F5)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="254" />
        <source>目录维护 (F6)</source>
        <translation>Catalog (F6)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="255" />
        <source>12345 工单 (F7)</source>
        <translation>12345 work orders (F7)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="293" />
        <source>告警 %1 (F2)</source>
        <translation>Alerts %1 (F2)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="297" />
        <source>等候 %1 人 · 今日办结 %2 · 开放窗口 %3/%4 · 待处理告警 %5</source>
        <translation>%1 waiting · %2 served today · windows open %3/%4 · open alerts %5</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/window.py" line="319" />
        <source>已确认：</source>
        <translation>Acknowledged: </translation>
    </message>
</context>
<context>
    <name>SyncIndicator</name>
    <message>
        <location filename="../../desk_app/ui/common/sync_status.py" line="38" />
        <source>同步：…</source>
        <translation>Sync: …</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/sync_status.py" line="63" />
        <source>无</source>
        <translation>never</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/sync_status.py" line="65" />
        <source>同步：待发 %1 · 上次成功 %2</source>
        <translation>Sync: %1 pending · last success %2</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/sync_status.py" line="71" />
        <source>同步：未配置中心平台</source>
        <translation>Sync: no central platform configured</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/sync_status.py" line="73" />
        <source> · 本机待发 %1</source>
        <translation> · %1 waiting here</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/sync_status.py" line="76" />
        <source> · 失败 %1</source>
        <translation> · %1 failed</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/common/sync_status.py" line="79" />
        <source>同步已停止：中心平台拒绝本机令牌，请联系管理员</source>
        <translation>Sync stopped: the central platform rejected this PC's token; call the administrator</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <location filename="../../desk_app/ui/counter/transfer_dialog.py" line="32" />
        <source>转移 %1</source>
        <translation>Transfer %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/transfer_dialog.py" line="33" />
        <source>转到业务</source>
        <translation>To service</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/transfer_dialog.py" line="34" />
        <source>转到窗口</source>
        <translation>To window</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/transfer_dialog.py" line="42" />
        <source>%1 号窗口</source>
        <translation>Window %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/counter/transfer_dialog.py" line="52" />
        <source>转移后号码和排队时间保持不变。</source>
        <translation>The ticket keeps its number and its place in time.</translation>
    </message>
</context>
<context>
    <name>WorkOrdersPage</name>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="91" />
        <source>待办（待签收、待答复）</source>
        <translation>Open (to sign, to reply)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="92" />
        <source>逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="93" />
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="145" />
        <source>已答复</source>
        <translation>Replied</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="94" />
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="145" />
        <source>已退回</source>
        <translation>Returned</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="95" />
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="100" />
        <source>工单编号</source>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="100" />
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="100" />
        <source>一件事</source>
        <translation>One-thing bundle</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="100" />
        <source>诉求</source>
        <translation>Request</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="101" />
        <source>联系人</source>
        <translation>Contact</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="101" />
        <source>签收期限</source>
        <translation>Sign by</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="101" />
        <source>答复期限</source>
        <translation>Reply by</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="101" />
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="114" />
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="105" />
        <source>签收 (Ctrl+G)</source>
        <translation>Sign (Ctrl+G)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="106" />
        <source>答复 (Ctrl+Y)</source>
        <translation>Reply (Ctrl+Y)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="107" />
        <source>退回 (Ctrl+T)</source>
        <translation>Return (Ctrl+T)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="133" />
        <source>正在读取…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="142" />
        <source>咨询</source>
        <translation>Consult</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="142" />
        <source>投诉</source>
        <translation>Complaint</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="143" />
        <source>建议</source>
        <translation>Suggestion</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="144" />
        <source>待签收</source>
        <translation>To sign</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="144" />
        <source>已签收</source>
        <translation>Signed</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="155" />
        <source>（逾期）</source>
        <translation> (late)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="163" />
        <source>%1 件</source>
        <translation>%1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="174" />
        <source>请先选择一条工单</source>
        <translation>Select a work order first</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="179" />
        <source>答复</source>
        <translation>Reply</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/supervisor/workorders.py" line="179" />
        <source>退回</source>
        <translation>Return</translation>
    </message>
</context>
<context>
    <name>_ServiceButton</name>
    <message>
        <location filename="../../desk_app/ui/kiosk/buttons.py" line="86" />
        <source>今日号源已满</source>
        <translation>Fully booked today</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/buttons.py" line="89" />
        <source>暂无窗口办理, 可取号等候</source>
        <translation>No window open yet; you may take a ticket</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/buttons.py" line="92" />
        <source>当前无人等候</source>
        <translation>Nobody waiting</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/buttons.py" line="96" />
        <source>等候 %1 人</source>
        <translation>%1 waiting</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kiosk/buttons.py" line="98" />
        <source>约 %1 分钟</source>
        <translation>about %1 min</translation>
    </message>
</context>
<context>
    <name>_WindowTile</name>
    <message>
        <location filename="../../desk_app/ui/display/tiles.py" line="57" />
        <source>%1 号窗口</source>
        <translation>Window %1</translation>
    </message>
</context>
<context>
    <name>page</name>
    <message>
        <location filename="../../desk_app/ui/kiosk/checkin.py" line="361" />
        <source>请将身份证放在阅读器上…</source>
        <translation>Please lay your ID card on the reader…</translation>
    </message>
</context>
</TS>