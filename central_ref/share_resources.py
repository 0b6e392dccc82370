"""The departments' data resources the platform's data-sharing gateway (数据共享交换) answers for.

Each ``Resource`` has a fixed code (``department.name``, the desk's catalog refers to it), a
Chinese and an English name, a kind (``data``: fields only; ``licence``: fields and an e-licence
document, 电子证照), the subject kinds it takes (a person by resident ID, a company by its
统一社会信用代码) and its named fields. A field's ``gen`` says how ``share_synth`` makes a
plausible value for seeded and synthetic records; it is not part of the HTTP contract.

``check_subject`` validates a subject's ID: a resident ID (GB 11643, its check character and
birth date) or a unified social credit code (GB 32100, its check character), both with
python-stdnum, which the rest of the project uses for the same checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

SubjectKind = Literal["person", "company"]
SUBJECT_KINDS: tuple[SubjectKind, ...] = ("person", "company")
PERSON: tuple[SubjectKind, ...] = ("person",)
COMPANY: tuple[SubjectKind, ...] = ("company",)
BOTH: tuple[SubjectKind, ...] = ("person", "company")


@dataclass(frozen=True, slots=True)
class Department:
    code: str
    name: str
    name_en: str


@dataclass(frozen=True, slots=True)
class FieldSpec:
    key: str
    label: str
    gen: str  # how share_synth makes a value (see there)


@dataclass(frozen=True, slots=True)
class Resource:
    code: str
    name: str
    name_en: str
    kind: Literal["data", "licence"]
    subjects: tuple[SubjectKind, ...]
    fields: tuple[FieldSpec, ...]

    @property
    def department(self) -> str:
        return self.code.split(".", 1)[0]


DEPARTMENTS: dict[str, Department] = {
    d.code: d
    for d in (
        Department("health", "市卫生健康委", "Municipal Health Commission"),
        Department("public_security", "市公安局", "Municipal Public Security Bureau"),
        Department("civil_affairs", "市民政局", "Municipal Civil Affairs Bureau"),
        Department("hrss", "市人力资源社会保障局", "Municipal Human Resources and Social Security Bureau"),
        Department("medical_insurance", "市医保局", "Municipal Healthcare Security Administration"),
        Department("natural_resources", "市自然资源和规划局", "Municipal Natural Resources and Planning Bureau"),
        Department("market_regulation", "市市场监管局", "Municipal Market Regulation Administration"),
        Department("tax", "市税务局", "Municipal Taxation Bureau"),
        Department("housing_fund", "市住房公积金管理中心", "Municipal Housing Provident Fund Centre"),
        Department("disabled_federation", "市残联", "Municipal Disabled Persons' Federation"),
        Department("education", "市教育局", "Municipal Education Bureau"),
        Department("veterans", "市退役军人事务局", "Municipal Veterans Affairs Bureau"),
        Department("transport", "市交通运输局", "Municipal Transport Bureau"),
        Department("housing", "市住房城乡建设局", "Municipal Housing and Urban-Rural Development Bureau"),
        Department("development_reform", "市发展改革委", "Municipal Development and Reform Commission"),
        Department("ecology_environment", "市生态环境局", "Municipal Ecology and Environment Bureau"),
        Department("utilities", "水电气公共服务企业", "Water, Power and Gas Utilities"),
    )
}  # fmt: skip

F = FieldSpec
HOSPITALS = "pick:市立医院|市妇女儿童医院|市中心医院|市第三人民医院|市中医医院"
DISTRICTS = "pick:市南区|市北区|李沧区|崂山区|城阳区|黄岛区"


def _r(
    code: str,
    name: str,
    name_en: str,
    kind: Literal["data", "licence"],
    subjects: tuple[SubjectKind, ...],
    *fields: FieldSpec,
) -> Resource:
    return Resource(code, name, name_en, kind, subjects, fields)


_ALL = (
    # -- 市卫生健康委 ---------------------------------------------------------------------------
    _r("health.birth_medical_certificate", "出生医学证明", "Medical Certificate of Birth", "licence", PERSON,
       F("mother", "母亲姓名", "holder"), F("child", "新生儿姓名", "person"),
       F("child_sex", "新生儿性别", "pick:男|女"), F("born", "出生日期", "date:3:300"),
       F("hospital", "出生地点(医疗机构)", HOSPITALS), F("weight", "出生体重(克)", "int:2600:4200"),
       F("father", "父亲姓名", "person:m")),
    _r("health.delivery_record", "住院分娩记录", "Hospital Delivery Record", "data", PERSON,
       F("patient", "产妇姓名", "holder"), F("hospital", "分娩医院", HOSPITALS),
       F("admitted", "入院日期", "date:5:300"), F("mode", "分娩方式", "pick:顺产|剖宫产"),
       F("newborns", "新生儿数", "pick:1|1|1|2")),
    _r("health.death_medical_certificate", "死亡医学证明", "Medical Certificate of Death", "licence", PERSON,
       F("deceased", "死者姓名", "holder"), F("sex", "性别", "sex"), F("died", "死亡日期", "date:2:90"),
       F("place", "死亡地点", "pick:医疗卫生机构|家中|其他场所"), F("hospital", "签发机构", HOSPITALS)),
    _r("health.vaccination_record", "预防接种记录", "Vaccination Record", "data", PERSON,
       F("name", "受种者姓名", "holder"), F("doses", "已接种剂次", "int:3:30"),
       F("last_vaccine", "最近接种疫苗", "pick:乙肝疫苗|百白破疫苗|麻腮风疫苗|脊灰疫苗|乙脑疫苗"),
       F("last_date", "最近接种日期", "date:10:700"), F("clinic", "接种单位", "pick:市南区预防接种门诊|市北区预防接种门诊|城阳区预防接种门诊")),
    # -- 市公安局 -------------------------------------------------------------------------------
    _r("public_security.household", "户籍信息", "Household Registration", "data", PERSON,
       F("name", "姓名", "holder"), F("sex", "性别", "sex"), F("birth", "出生日期", "birth"),
       F("ethnicity", "民族", "pick:汉族|汉族|汉族|回族|满族"), F("address", "户籍地址", "addr"),
       F("relation", "与户主关系", "pick:户主|配偶|子|女"), F("station", "户籍派出所", "pick:香港中路派出所|台东派出所|浮山后派出所|李村派出所")),
    _r("public_security.id_photo", "居民身份证照片", "Resident ID Card Photo", "data", PERSON,
       F("name", "姓名", "holder"), F("id_masked", "公民身份号码", "idm"),
       F("photo_ref", "照片编号", "serial:ZP:12"), F("taken", "采集日期", "date:200:3600")),
    _r("public_security.driving_licence", "机动车驾驶证", "Driving Licence", "licence", PERSON,
       F("name", "姓名", "holder"), F("sex", "性别", "sex"), F("class", "准驾车型", "pick:C1|C1|C2|B2|A1"),
       F("first_issued", "初次领证日期", "date:400:7000"), F("valid_to", "有效期至", "until:300:3650"),
       F("points", "累积记分", "int:0:6")),
    _r("public_security.vehicle_licence", "机动车行驶证", "Vehicle Licence", "licence", BOTH,
       F("owner", "所有人", "holder"), F("plate", "号牌号码", "plate"),
       F("vehicle", "车辆类型", "pick:小型轿车|小型普通客车|轻型厢式货车"),
       F("brand", "品牌型号", "pick:大众牌FV7152|比亚迪牌BYD7150|丰田牌TV7201|长城牌CC6460"),
       F("registered", "注册日期", "date:100:4000"), F("inspection_to", "检验有效期至", "until:30:700")),
    _r("public_security.residence_permit", "居住证", "Residence Permit", "licence", PERSON,
       F("name", "姓名", "holder"), F("sex", "性别", "sex"), F("address", "居住地址", "addr"),
       F("issued_by", "签发机关", "pick:市公安局市南分局|市公安局市北分局|市公安局城阳分局"),
       F("valid_to", "有效期至", "until:30:365")),
    _r("public_security.traffic_accident_record", "道路交通事故记录", "Road Traffic Accident Record", "data", BOTH,
       F("party", "当事人", "holder"), F("occurred", "事故时间", "date:10:700"),
       F("place", "事故地点", "addr"), F("liability", "责任认定", "pick:全部责任|主要责任|同等责任|次要责任|无责任"),
       F("report_no", "事故认定书编号", "serial:SG:10")),
    # -- 市民政局 -------------------------------------------------------------------------------
    _r("civil_affairs.marriage", "婚姻登记", "Marriage Registration", "licence", PERSON,
       F("name", "持证人", "holder"), F("spouse", "配偶姓名", "person"),
       F("status", "婚姻状况", "pick:已婚|已婚|已婚|离婚"), F("registered", "登记日期", "date:200:9000"),
       F("office", "登记机关", "pick:市南区民政局|市北区民政局|崂山区民政局")),
    _r("civil_affairs.low_income", "最低生活保障认定", "Minimum Living Allowance", "data", PERSON,
       F("name", "户主姓名", "holder"), F("members", "保障人数", "int:1:5"),
       F("monthly", "月保障金(元)", "money:300:2600"), F("since", "认定日期", "date:60:2000"),
       F("status", "保障状态", "pick:在保|在保|停保")),
    _r("civil_affairs.funeral", "殡葬(火化)信息", "Cremation Record", "data", PERSON,
       F("deceased", "逝者姓名", "holder"), F("cremated", "火化日期", "date:1:80"),
       F("home", "殡仪馆", "pick:市殡仪馆|城阳区殡仪馆|黄岛区殡仪馆"), F("cert_no", "火化证明编号", "serial:HH:10")),
    _r("civil_affairs.family_finances", "家庭经济状况核对", "Household Financial Check", "data", PERSON,
       F("name", "申请人", "holder"), F("members", "家庭人口", "int:1:6"),
       F("income", "家庭月人均收入(元)", "money:500:6000"), F("property", "名下不动产(套)", "int:0:2"),
       F("vehicles", "名下机动车(辆)", "int:0:1"), F("checked", "核对日期", "date:1:30")),
    # -- 市人力资源社会保障局 ---------------------------------------------------------------------
    _r("hrss.pension_contribution", "养老保险参保缴费记录", "Pension Insurance Contributions", "data", PERSON,
       F("name", "姓名", "holder"), F("insurance", "险种", "pick:企业职工基本养老保险|城乡居民基本养老保险"),
       F("months", "累计缴费月数", "int:12:480"), F("since", "参保日期", "date:400:12000"),
       F("employer", "参保单位", "company"), F("status", "参保状态", "pick:正常参保|正常参保|暂停缴费")),
    _r("hrss.social_insurance_record", "社会保险参保缴费记录", "Social Insurance Contributions", "data", BOTH,
       F("insured", "参保人(单位)", "holder"), F("types", "参保险种", "pick:养老、医疗、失业、工伤、生育|养老、医疗、失业"),
       F("base", "缴费基数(元)", "money:4000:25000"), F("last_month", "最近缴费年月", "ym:1:3"),
       F("months", "累计缴费月数", "int:6:400")),
    _r("hrss.retirement_approval", "退休审批", "Retirement Approval", "data", PERSON,
       F("name", "姓名", "holder"), F("approved", "审批日期", "date:10:3000"),
       F("kind", "退休类别", "pick:正常退休|正常退休|提前退休(特殊工种)"), F("pension", "月基本养老金(元)", "money:2500:9000")),
    _r("hrss.work_ability", "劳动能力鉴定结论", "Work Ability Appraisal", "data", PERSON,
       F("name", "姓名", "holder"), F("grade", "伤残等级", "pick:七级|八级|九级|十级|五级"),
       F("concluded", "鉴定日期", "date:30:1500"), F("report_no", "鉴定结论书编号", "serial:JD:10")),
    _r("hrss.occupational_annuity", "职业年金个人账户", "Occupational Annuity Account", "data", PERSON,
       F("name", "姓名", "holder"), F("balance", "账户余额(元)", "money:5000:300000"),
       F("since", "建账日期", "date:400:3600"), F("employer", "单位", "pick:市教育局|市卫生健康委|市交通运输局|市税务局")),
    _r("hrss.social_security_card", "社会保障卡", "Social Security Card", "licence", PERSON,
       F("name", "姓名", "holder"), F("card_no", "社会保障卡号", "serial:SB:9"),
       F("bank", "金融账户开户行", "pick:中国工商银行|中国建设银行|中国银行|中国农业银行"),
       F("status", "卡状态", "pick:正常|正常|挂失"), F("valid_to", "有效期至", "until:300:3650")),
    _r("hrss.employment_registration", "就业创业登记", "Employment Registration", "data", PERSON,
       F("name", "姓名", "holder"), F("status", "就业状态", "pick:就业|就业|失业|灵活就业"),
       F("employer", "就业单位", "company"), F("registered", "登记日期", "date:30:2500")),
    # -- 市医保局 -------------------------------------------------------------------------------
    _r("medical_insurance.enrolment", "医保参保缴费记录", "Medical Insurance Enrolment", "data", BOTH,
       F("insured", "参保人(单位)", "holder"), F("scheme", "险种", "pick:职工基本医疗保险|城乡居民基本医疗保险"),
       F("since", "参保日期", "date:100:9000"), F("paid_to", "缴费至", "ym:0:2"), F("status", "参保状态", "pick:正常|正常|暂停")),
    _r("medical_insurance.assistance", "医疗救助对象认定", "Medical Assistance Eligibility", "data", PERSON,
       F("name", "姓名", "holder"), F("category", "救助类别", "pick:特困人员|低保对象|低保边缘人员|防返贫监测对象"),
       F("since", "认定日期", "date:30:1500"), F("ratio", "救助比例(%)", "pick:70|80|90|100")),
    # -- 市自然资源和规划局 -----------------------------------------------------------------------
    _r("natural_resources.property", "不动产登记", "Real Estate Registration", "licence", BOTH,
       F("owner", "权利人", "holder"), F("certificate", "不动产权证号", "serial:鲁(2024)青岛市不动产权第:7"),
       F("location", "坐落", "addr"), F("area", "建筑面积(㎡)", "dec:45:180"),
       F("use", "用途", "pick:住宅|住宅|商业|办公"), F("sharing", "共有情况", "pick:单独所有|共同共有|按份共有"),
       F("registered", "登记日期", "date:60:6000")),
    # -- 市市场监管局 ---------------------------------------------------------------------------
    _r("market_regulation.business_licence", "营业执照", "Business Licence", "licence", COMPANY,
       F("name", "名称", "holder"), F("type", "类型", "pick:有限责任公司(自然人投资或控股)|股份有限公司|个人独资企业"),
       F("representative", "法定代表人", "person"), F("capital", "注册资本(万元)", "int:10:5000"),
       F("founded", "成立日期", "date:100:7000"), F("address", "住所", "addr"),
       F("scope", "经营范围", "pick:技术开发、技术服务|批发零售|餐饮服务|建筑工程施工")),
    _r("market_regulation.enterprise_publicity", "企业信用信息公示", "Enterprise Credit Publicity", "data", COMPANY,
       F("name", "企业名称", "holder"), F("status", "登记状态", "pick:存续|存续|在业|注销"),
       F("annual_report", "最近年报年度", "pick:2023|2024|2024"), F("abnormal", "经营异常名录", "pick:否|否|否|是"),
       F("penalties", "行政处罚(次)", "int:0:2")),
    # -- 市税务局 -------------------------------------------------------------------------------
    _r("tax.tax_records", "纳税及清税信息", "Tax Payments and Clearance", "data", BOTH,
       F("taxpayer", "纳税人", "holder"), F("status", "纳税人状态", "pick:正常|正常|清税完毕"),
       F("paid_year", "本年已缴税款(元)", "money:0:200000"), F("arrears", "欠税(元)", "pick:0.00|0.00|0.00|1200.00"),
       F("cleared", "清税证明", "pick:无|已出具")),
    # -- 市住房公积金管理中心 ---------------------------------------------------------------------
    _r("housing_fund.account", "住房公积金缴存信息", "Housing Provident Fund Account", "data", PERSON,
       F("name", "姓名", "holder"), F("account", "个人账号", "serial:GJ:12"),
       F("balance", "账户余额(元)", "money:1000:200000"), F("monthly", "月缴存额(元)", "money:300:5000"),
       F("status", "账户状态", "pick:正常|正常|封存"), F("employer", "缴存单位", "company")),
    # -- 市残联 --------------------------------------------------------------------------------
    _r("disabled_federation.disability_certificate", "残疾人证", "Disability Certificate", "licence", PERSON,
       F("name", "姓名", "holder"), F("sex", "性别", "sex"),
       F("category", "残疾类别", "pick:肢体残疾|视力残疾|听力残疾|言语残疾|智力残疾"),
       F("grade", "残疾等级", "pick:一级|二级|三级|四级"), F("valid_to", "有效期至", "until:300:3650")),
    # -- 市教育局 ------------------------------------------------------------------------------
    _r("education.student_record", "学籍信息", "Student Enrolment Record", "data", PERSON,
       F("name", "学生姓名", "holder"), F("school", "就读学校", "pick:市实验小学|市第二中学|市第五十八中学|市南区实验初级中学"),
       F("grade", "年级", "pick:一年级|三年级|六年级|初一|初三|高二"),
       F("enrolled", "入学日期", "date:200:3000"), F("status", "学籍状态", "pick:在籍|在籍|休学")),
    _r("education.degree", "学历学位信息", "Academic Degree Record", "data", PERSON,
       F("name", "姓名", "holder"), F("level", "学历层次", "pick:本科|本科|硕士研究生|专科"),
       F("school", "毕业院校", "pick:中国海洋大学|青岛大学|山东科技大学|青岛科技大学"),
       F("major", "专业", "pick:计算机科学与技术|会计学|临床医学|土木工程"),
       F("graduated", "毕业日期", "date:300:9000"), F("certificate", "证书编号", "serial:1042:14")),
    # -- 市退役军人事务局 ------------------------------------------------------------------------
    _r("veterans.service_record", "退役军人信息", "Veteran Service Record", "data", PERSON,
       F("name", "姓名", "holder"), F("enlisted", "入伍日期", "date:3000:12000"),
       F("discharged", "退役日期", "date:300:3000"), F("placement", "安置方式", "pick:自主就业|安排工作|退休|供养"),
       F("branch", "服役军种", "pick:陆军|海军|空军|火箭军|武警部队")),
    # -- 市交通运输局 ---------------------------------------------------------------------------
    _r("transport.road_transport_certificate", "道路运输证", "Road Transport Certificate", "licence", BOTH,
       F("operator", "业户名称", "holder"), F("plate", "车辆号牌", "plate"),
       F("scope", "经营范围", "pick:道路普通货物运输|道路旅客运输|危险货物运输"),
       F("tonnage", "吨(座)位", "int:2:49"), F("valid_to", "有效期至", "until:60:1800")),
    _r("transport.driver_qualification", "道路运输从业资格证", "Road Transport Driver Qualification", "licence", PERSON,
       F("name", "姓名", "holder"), F("category", "从业资格类别", "pick:道路货物运输驾驶员|道路旅客运输驾驶员|出租汽车驾驶员"),
       F("first_issued", "初领日期", "date:300:5000"), F("valid_to", "有效期至", "until:60:2000")),
    _r("transport.vehicle_inspection", "车辆综合性能检测信息", "Vehicle Performance Inspection", "data", BOTH,
       F("owner", "车主(业户)", "holder"), F("plate", "车辆号牌", "plate"),
       F("inspected", "检测日期", "date:5:300"), F("result", "检测结论", "pick:合格|合格|合格|不合格"),
       F("station", "检测机构", "pick:市机动车综合性能检测站|城阳区机动车检测中心")),
    # -- 市住房城乡建设局 -------------------------------------------------------------------------
    _r("housing.sale_contract_filing", "存量房买卖合同网签备案", "Resale Contract Filing", "data", PERSON,
       F("party", "买受人", "holder"), F("seller", "出卖人", "person"), F("location", "房屋坐落", "addr"),
       F("price", "成交价格(元)", "money:600000:4000000"), F("filed", "备案日期", "date:3:200"),
       F("filing_no", "备案编号", "serial:WQ:12")),
    _r("housing.rental_filing", "住房租赁登记备案", "Housing Rental Filing", "data", BOTH,
       F("lessee", "承租人", "holder"), F("location", "房屋坐落", "addr"),
       F("rent", "月租金(元)", "money:1200:6000"), F("term_to", "租赁期至", "until:30:700"),
       F("filing_no", "备案编号", "serial:ZL:12")),
    _r("housing.fire_acceptance", "建设工程消防验收备案", "Fire Safety Acceptance Filing", "data", COMPANY,
       F("builder", "建设单位", "holder"), F("project", "工程名称", "pick:综合楼工程|厂房扩建工程|住宅小区二期工程"),
       F("result", "验收(备案)结果", "pick:合格|合格|抽查合格"), F("accepted", "验收日期", "date:10:900"),
       F("document_no", "文书编号", "serial:XY:10")),
    _r("housing.drawing_review", "施工图审查合格信息", "Construction Drawing Review", "data", COMPANY,
       F("builder", "建设单位", "holder"), F("project", "工程名称", "pick:综合楼工程|厂房扩建工程|住宅小区二期工程"),
       F("reviewer", "审查机构", "pick:市建筑设计审查中心|山东省施工图审查中心"),
       F("certificate", "审查合格书编号", "serial:SC:12"), F("approved", "审查日期", "date:30:900")),
    _r("housing.worker_payroll", "建筑工人实名制及工资支付", "Construction Workers and Wage Payment", "data", COMPANY,
       F("employer", "施工单位", "holder"), F("workers", "在册工人(人)", "int:20:800"),
       F("paid_month", "工资发放至", "ym:0:2"), F("arrears", "欠薪(元)", "pick:0.00|0.00|0.00|38000.00"),
       F("account", "工资专用账户", "pick:已开设|已开设|未开设")),
    # -- 市发展改革委 ---------------------------------------------------------------------------
    _r("development_reform.project_approval", "项目审批核准备案", "Project Approval and Filing", "data", COMPANY,
       F("applicant", "项目单位", "holder"), F("project", "项目名称", "pick:新建厂房项目|智能制造产业园项目|物流仓储项目"),
       F("code", "项目代码", "serial:2024-370200-:12"), F("type", "审批类型", "pick:备案|核准|审批"),
       F("investment", "总投资(万元)", "int:500:90000"), F("approved", "办理日期", "date:30:900")),
    # -- 市生态环境局 ---------------------------------------------------------------------------
    _r("ecology_environment.discharge_permit", "排污许可证", "Pollutant Discharge Permit", "licence", COMPANY,
       F("holder", "单位名称", "holder"), F("industry", "行业类别", "pick:金属制品业|食品制造业|化学原料制造|汽车制造业"),
       F("category", "管理类别", "pick:重点管理|简化管理|登记管理"), F("valid_to", "有效期至", "until:300:1800")),
    # -- 水电气公共服务企业 ------------------------------------------------------------------------
    _r("utilities.settlement", "水电气费用结清信息", "Water, Power and Gas Settlement", "data", BOTH,
       F("customer", "户名", "holder"), F("address", "用户地址", "addr"),
       F("water", "水费", "pick:已结清|已结清|欠费"), F("power", "电费", "pick:已结清|已结清|欠费"),
       F("gas", "燃气费", "pick:已结清|已结清|未开户"), F("checked", "查询日期", "date:0:0")),
)  # fmt: skip

RESOURCES: dict[str, Resource] = {r.code: r for r in _ALL}


def resource(code: str) -> Resource | None:
    """The resource of ``code``; None when there is none."""
    return RESOURCES.get(code)


def resources_for(kind: SubjectKind) -> list[Resource]:
    """Every resource that takes subjects of ``kind``, in registry order."""
    return [r for r in _ALL if kind in r.subjects]


def check_subject(kind: str, id_number: str) -> str:
    """The subject's ID, normalised (upper case); ValueError says what is wrong (never the ID).

    A person's is a resident ID (GB 11643: 18 characters, its check character and birth date);
    a company's a unified social credit code (GB 32100: 18 characters and its check character).
    """
    value = id_number.strip().upper()
    if len(value) != 18:
        raise ValueError("the ID must be 18 characters")
    try:
        if kind == "person":
            return str(ric.validate(value))
        if kind == "company":
            return str(uscc.validate(value))
    except StdnumError:
        what = "resident ID" if kind == "person" else "unified social credit code"
        raise ValueError(f"not a valid {what} (its check character or content)") from None
    raise ValueError("the subject kind must be person or company")


def masked(id_number: str) -> str:
    """The ID as a document shows it: the first 4 and last 4 characters (3702**********1234)."""
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]
