"""Hand-written knowledge-base entries: the questions people ask in their own words.

ALIASES: what people call a bundle (used in the derived entries' other phrasings).
COLLOQUIAL: per bundle, entries {q, p (other phrasings), a (answer), src, sit (situations)}.
Facts not in the catalog or the seed article are marked "(check)".
"""

from __future__ import annotations

CATALOG = "本厅“一件事”目录(bundles/{}.json)"
SEED = "青岛日报2024-09《首批“高效办成一件事”:少跑腿90%,减流程81%》"

ALIASES: dict[str, list[str]] = {
    "newborn": ["生孩子", "宝宝上户口"],
    "retirement": ["办退休", "领养老金"],
    "company_change": ["营业执照变更", "公司改名"],
    "after_death": ["家里老人去世", "办后事"],
    "company_deregistration": ["公司注销", "关公司"],
    "school_enrolment": ["孩子上学", "入学报名"],
    "restaurant_opening": ["开饭店", "开餐馆"],
    "transport_company": ["开运输公司", "办道路运输证"],
    "utilities_connection": ["接水电气", "报装"],
    "social_security_card": ["办社保卡", "社保卡"],
    "disability_services": ["办残疾证", "残疾补贴"],
    "second_hand_housing": ["买二手房过户", "房子过户"],
    "hukou_migration": ["迁户口", "落户"],
    "medical_reimbursement": ["看病报销", "医药费报销"],
    "public_rental_housing": ["租公租房", "申请廉租房"],
    "veteran": ["退伍", "复员安置"],
    "company_relocation": ["公司搬迁", "换注册地址"],
    "oversize_transport": ["超限运输", "大件货物运输"],
    "bankruptcy_check": ["破产管理人查询", "破产查询"],
    "listing_compliance": ["上市合规证明", "无违法违规证明"],
    "credit_repair": ["信用修复", "移出失信名单"],
    "migrant_wage": ["讨薪", "农民工欠薪"],
    "housing_fund_loan": ["公积金买房", "公积金贷款"],
    "judicial_auction_property": ["法拍房过户", "法拍房"],
    "project_land_planning": ["项目拿地", "规划许可"],
    "startup": ["自己创业", "开个体户"],
}


def _e(q: str, p: list[str], a: str, src: str, sit: list[str] | None = None) -> dict:
    return {"q": q, "p": p, "a": a, "src": src, "sit": sit or []}


COLLOQUIAL: dict[str, list[dict]] = {
    "newborn": [
        _e(
            "生孩子以后要办哪些手续?",
            [
                "宝宝出生后要办什么",
                "生完孩子办什么证",
                "新生儿要办哪些证件",
                "刚生了孩子怎么上户口",
            ],
            "新生儿出生一件事把出生医学证明、预防接种证、户口登记、医保参保登记和社会保障卡申领"
            "合成一次申请,在“一件事”专窗或网上一次提交即可,不用分别跑医院、派出所、医保和人社。",
            SEED,
        ),
        _e(
            "谁可以来办新生儿出生一件事?",
            ["新生儿上户口谁去办", "爸爸一个人能给孩子上户口吗", "爷爷奶奶能代办吗"],
            "一般由父亲或母亲一方办理,带父母双方身份证(核验后退还);其他亲属代办的,"
            "需带父母签字的授权委托书和本人身份证。具体以户籍派出所要求为准。 (check)",
            CATALOG.format("newborn") + " (check)",
        ),
        _e(
            "给孩子上户口要结婚证吗?",
            ["上户口需要结婚证吗", "新生儿落户要不要结婚证", "没带结婚证能上户口吗"],
            "父母已办理结婚登记的,户口登记需要结婚证原件1份;已接入婚姻登记电子证照的地区可免提交。"
            "未办理结婚登记的,改交父母双方签字的非婚生育情况说明。",
            CATALOG.format("newborn"),
            ["parents_married=yes"],
        ),
        _e(
            "父母没有结婚,孩子能上户口吗?",
            ["非婚生子女怎么上户口", "未婚生子怎么落户", "没领结婚证生的孩子上户口"],
            "可以。户口登记时不需要结婚证,改交父母双方签字的非婚生育情况说明;"
            "部分地区另需亲子鉴定证明 (check)。其他材料与一般情形相同。",
            CATALOG.format("newborn") + " (check)",
            ["parents_married=no"],
        ),
        _e(
            "孩子在外地医院出生,能在这里办吗?",
            ["外地生的孩子怎么上户口", "在老家医院生的", "异地出生怎么办出生证"],
            "可以。出生医学证明由出生的助产机构签发,本一件事不再办理这一项;"
            "请带外地签发的出生医学证明原件,其余事项照常一次办理。",
            CATALOG.format("newborn"),
            ["birth_place=elsewhere"],
        ),
        _e(
            "生孩子的医疗费怎么报销?",
            ["生育费用报销", "生孩子住院费报销", "生育保险报销要带什么"],
            "在医院已直接结算的不用再办。未直接结算的,可在本一件事中一并申请生育医疗费用报销,"
            "带生育医疗费用票据及费用明细清单、出院记录复印件和母亲本人社会保障卡或银行卡;"
            "承诺时限20个工作日 (check)。",
            CATALOG.format("newborn") + " (check)",
            ["maternity_claim=yes"],
        ),
    ],
    "retirement": [
        _e(
            "养老金什么时候开始发?",
            ["退休了什么时候领养老金", "养老金从哪个月开始领", "退休工资啥时候到账"],
            "退休审批通过后,由社保经办机构核定基本养老保险待遇,一般从批准退休的次月起按月发放到"
            "社会保障卡(银行账户) (check)。具体以待遇核定结果为准。",
            CATALOG.format("retirement") + " (check)",
        ),
        _e(
            "办退休要多长时间?",
            ["退休手续多久能办完", "退休审批要几天", "办退休快吗"],
            "退休一件事承诺10个工作日内办结:退休申请5个工作日,养老保险待遇核定、"
            "职工医保退休人员待遇核定各5个工作日,公积金离退休提取3个工作日。"
            "青岛办理时限由20天缩短为10天,环节由12个减为4个。",
            CATALOG.format("retirement") + ";" + SEED,
        ),
        _e(
            "退休时能一起把公积金取出来吗?",
            ["退休提取公积金", "退休了公积金怎么取", "公积金退休销户"],
            "可以。在退休一件事中选择同时提取住房公积金,带本人银行卡(收款账户),"
            "与退休申请一次办理,承诺3个工作日。",
            CATALOG.format("retirement"),
            ["housing_fund=yes"],
        ),
        _e(
            "特殊工种提前退休要什么材料?",
            ["特殊工种退休", "提前退休怎么办", "高温岗位能早退休吗"],
            "除一般材料外,还需要特殊工种岗位工作经历的原始档案记载及工种审批材料;"
            "是否符合条件由人社部门审核。",
            CATALOG.format("retirement"),
            ["retirement_type=special_job"],
        ),
    ],
    "company_change": [
        _e(
            "营业执照上的地址要改,怎么办?",
            ["营业执照换地址", "公司搬家了执照怎么改", "变更注册地址"],
            "在企业信息变更一件事中申请住所变更:带变更登记申请书、股东会决议或股东决定、"
            "章程修正案和新住所使用证明。变更登记后,税务、社保、医保、公积金的单位信息同步变更,"
            "不用再分别去跑。跨登记机关迁移的,请办理企业迁移登记一件事。",
            CATALOG.format("company_change"),
            ["change_type=address"],
        ),
        _e(
            "公司改名字要换公章吗?",
            ["公司名称变更要刻章吗", "改名后公章怎么办", "换名字要重新刻章吗"],
            "名称变更后如需刻制新印章,可在本一件事中一并办理印章刻制及备案,原印章缴销。"
            "名称变更还需要企业名称自主申报承诺书。",
            CATALOG.format("company_change"),
            ["change_type=name"],
        ),
        _e(
            "换法人要带什么?",
            ["变更法定代表人", "法人变更需要什么材料", "换老板怎么办手续"],
            "法定代表人变更需要:变更登记申请书、股东会决议或股东决定、新任法定代表人任免职文件"
            "和新任法定代表人身份证件。社保、医保、公积金的单位信息同步变更。",
            CATALOG.format("company_change"),
            ["change_type=legal_rep"],
        ),
    ],
    "after_death": [
        _e(
            "家里老人去世了要办哪些手续?",
            ["人去世后要办什么", "老人走了要注销什么", "亲人过世后手续"],
            "公民身后一件事把死亡医学证明、户口注销、火化和殡葬补贴、医保关系终止、"
            "丧葬补助金和抚恤金(或养老保险个人账户继承)、公积金继承提取合在一起,一次申请。",
            CATALOG.format("after_death"),
        ),
        _e(
            "在家里去世的怎么开死亡证明?",
            ["老人在家去世怎么办", "在家过世死亡证明", "没在医院去世"],
            "在家中去世的,带居(村)民委员会出具的死亡情况证明和逝者生前就诊病历,"
            "由社区卫生服务中心等医疗机构出具《居民死亡医学证明(推断)书》。",
            CATALOG.format("after_death"),
            ["place_of_death=home"],
        ),
        _e(
            "退休老人去世了丧葬费怎么领?",
            ["丧葬补助金怎么领", "抚恤金申领", "养老金停发"],
            "逝者生前按月领取养老金的,可以申领丧葬补助金和抚恤金,养老金同时停发;"
            "需亲属关系证明和领取人银行卡,承诺10个工作日。",
            CATALOG.format("after_death"),
            ["retiree=yes"],
        ),
    ],
    "hukou_migration": [
        _e(
            "户口从外地迁过来要跑两头吗?",
            ["户口迁移要回老家开证明吗", "迁户口还要准迁证吗", "跨省迁户口"],
            "户口迁移一件事实行迁入地一站式办理,一般不用回迁出地开具迁移证明 (check);"
            "具体迁入条件以迁入地落户政策为准。",
            CATALOG.format("hukou_migration") + " (check)",
        ),
    ],
    "medical_reimbursement": [
        _e(
            "在外地看病的医药费怎么报?",
            ["异地就医报销", "外地住院回来报销", "没直接结算的医药费"],
            "已办异地就医备案并直接结算的不用再报。未直接结算的,带发票、费用明细和病历资料,"
            "在就医费用报销一件事中申请。 (check)",
            CATALOG.format("medical_reimbursement") + " (check)",
        ),
    ],
    "social_security_card": [
        _e(
            "社保卡丢了怎么办?",
            ["社保卡补办", "社保卡掉了", "社保卡挂失"],
            "先挂失,再申请补换卡;可在社会保障卡居民服务“一卡通”一件事中一并办理。 (check)",
            CATALOG.format("social_security_card") + " (check)",
        ),
    ],
    "company_relocation": [
        _e(
            "公司注册地从外区迁过来,要先注销吗?",
            ["公司迁址要注销吗", "跨区迁移公司", "注册地址迁到别的区"],
            "不用注销。办理企业迁移登记一件事:迁出、迁入登记一次申请,登记档案电子化调转,"
            "税务、社保、医保、公积金信息同步迁移。有未结涉税事项的,需先处理完。 (check)",
            CATALOG.format("company_relocation") + " (check)",
        ),
    ],
    "oversize_transport": [
        _e(
            "拉超宽的设备要办什么证?",
            ["超限运输通行证", "大件运输许可怎么办", "运大型设备要审批吗"],
            "车货总体外廓尺寸或总质量超限的,需办理超限运输车辆行驶公路许可。按车货尺寸和质量"
            "分为一、二、三类,承诺时限分别为5、10、20个工作日;三类还需通行路线勘测和护送方案。"
            " (check)",
            CATALOG.format("oversize_transport") + " (check)",
        ),
    ],
    "public_rental_housing": [
        _e(
            "外地户口能申请公租房吗?",
            ["新市民申请公租房", "没有本地户口租公租房", "外地人能租公租房吗"],
            "新市民、青年人在本市稳定就业的可以申请,带居住证(可共享)、劳动合同或就业证明;"
            "社保缴纳年限等条件各地不同,以当地规定为准。 (check)",
            CATALOG.format("public_rental_housing") + " (check)",
            ["applicant_type=new_citizen"],
        ),
        _e(
            "公租房申请要开收入证明吗?",
            ["公租房收入证明", "申请公租房要查存款吗", "公租房要不要房产证明"],
            "不用自己开。家庭收入、存款、车辆和不动产信息由民政、不动产登记等部门核查,"
            "申请表上家庭成员共同签字授权即可。",
            CATALOG.format("public_rental_housing"),
        ),
    ],
    "credit_repair": [
        _e(
            "行政处罚信息能撤下来吗?",
            ["信用中国上的处罚记录怎么修复", "失信记录怎么消除", "处罚公示能提前撤吗"],
            "符合条件的可以申请信用修复:履行了处罚决定、按要求提交信用修复申请和相关证明后,"
            "由认定部门审核,通过后停止公示。具体条件和公示期限以认定部门规定为准。 (check)",
            CATALOG.format("credit_repair") + " (check)",
        ),
    ],
    "migrant_wage": [
        _e(
            "老板拖欠工资怎么办?",
            ["工资被拖欠", "讨薪去哪里", "工地不给钱"],
            "可以在农民工工资权益保护一件事中一窗申请:欠薪投诉或劳动仲裁二选一,"
            "需要时一并申请法律援助;工程建设领域的欠薪投诉可申请工资保证金先行支付。"
            "带身份证和劳动关系、欠薪的证据(劳动合同、工资条、考勤记录、工友证言等)。",
            CATALOG.format("migrant_wage"),
        ),
    ],
}
