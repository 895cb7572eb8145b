"""The demo's free text, one set per language. Lists the demo draws from have the same
length in every language, so a seed draws the same rows whatever the language; codes
(statuses, lenses, metrics, kinds) stay in the demo itself."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoText:
    customers: tuple[str, ...]  # name × kind, kinds in the order of the first industries
    industries: tuple[str, ...]
    influence: tuple[str, ...]  # high, medium, low
    reasons: tuple[str, ...]  # why an opportunity is valuable
    churn_reasons: tuple[str, ...]
    campaigns: tuple[str, ...]
    improvements: tuple[str, ...]  # a campaign's, "" for none
    requirements: tuple[str, ...]
    progress: tuple[str, ...]  # a deal's
    categories: tuple[str, ...]  # ticket topics
    plans: tuple[str, ...]  # a ticket topic's improvement plan
    owners: tuple[str, ...]
    features: tuple[str, ...]  # release names
    profiles: tuple[str, ...]  # a release's customer profile
    insights: dict[str, tuple[str, ...]]  # by lens
    sources: tuple[str, ...]  # where an insight came from
    requests: tuple[str, ...]  # request titles
    deals: tuple[str, str]  # a request's opportunities, from a count {n}: one, more
    notes: tuple[str, ...]  # on a checklist item, "" for none
    cash_reasons: tuple[str, ...]
    revenue_notes: tuple[str, ...]  # the revenue row's explanation of the change
    revenue_actions: tuple[str, ...]  # and the action to drive it
    measure_notes: tuple[str, ...]  # why a reader's KPI moved
    churn_goal_reasons: tuple[str, ...]
    reviews: tuple[str, ...]  # a key result's at the quarter's end
    objectives: tuple[str, str]  # serving users, serving the business
    risks: tuple[tuple[str, str, str], ...]  # (risk, mitigation, fallback): technical, requirement change
    projects: tuple[str, ...]  # large
    small: tuple[str, ...]  # small projects
    phases: tuple[str, str, str]
    interview: str  # a typed OKR task
    status_quo: str
    problem: str
    analysis: str
    before: str
    after: str
    also_ships: str  # a large project's features after its release: {release}
    hard_parts: str
    benefit: str
    small_problem: str
    small_benefit: str  # {n}: points of activation
    separator: str  # between names in one cell

    def industry_of(self, customer: str) -> str:
        """The industry a customer's name says ("… Bank" is finance, "…游戏" gaming)."""
        return self.industries[self.customers.index(customer) % len(CUSTOMER_KINDS)]


CUSTOMER_KINDS = ("bank", "retail", "games", "logistics")  # as the first four industries


_EN = DemoText(
    customers=tuple(f"{name} {kind}" for name in ("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne",
                                                  "Tyrell", "Cyberdyne", "Soylent", "Aperture", "Vandelay",
                                                  "Oscorp", "Gringotts", "Dunder", "Monarch")
                    for kind in ("Bank", "Retail", "Games", "Logistics")),
    industries=("finance", "retail", "gaming", "logistics", "education", "healthcare", "manufacturing"),
    influence=("high", "medium", "low"),
    reasons=("top-3 in its industry", "fast growth", "reference case", "multi-region"),
    churn_reasons=("price", "moved to a rival", "project ended", "self-hosted"),
    campaigns=("Double 11", "618 sale", "Dev conference", "Webinar", "Free trial", "Partner summit", "Spring promo",
               "Case study launch"),
    improvements=("", "better landing page", "target DBAs"),
    requirements=("HA across zones", "migration from Oracle", "read replicas", "audit log"),
    progress=("POC", "contract", "deploying", "testing"),
    categories=("backup", "upgrade", "performance", "connection", "billing", "replication", "extension",
                "permissions", "monitoring", "migration", "storage", "parameters", "HA switchover", "audit",
                "read replica", "slow query", "version EOL", "network", "console", "API"),
    plans=("doc update", "fix in next release", "new alert", "training for support"),
    owners=("Li Lei", "Han Meimei", "Wang Fang", "Zhang Wei", "Chen Jing", "Liu Yang"),
    features=("PITR to the second", "Serverless tier", "Read-only replicas", "Oracle migration kit", "Audit log",
              "Cross-region DR", "Vector search", "Connection pooler", "Major version upgrade", "Column store"),
    profiles=("banks", "retail chains", "game studios"),
    insights={
        "industry": ("Banks move core systems to distributed databases", "Gaming wants per-second billing"),
        "market": ("Mid-size retail asks for cheaper HA", "Education budgets shrink next quarter"),
        "competitor": ("A rival cut serverless prices by 30 %", "A rival shipped PITR to the second"),
        "trend": ("Postgres extensions drive adoption", "AI workloads need vector search"),
        "self": ("Our upgrade docs miss rollback steps", "Support answers slow on weekends"),
    },
    sources=("mailing list", "sales", "analyst report", "ticket review"),
    requests=("CDC to Kafka", "Schema diff API", "Slow-query export", "Cross-region sync"),
    deals=("{n} deal", "{n} deals"),  # one, more
    notes=("", "", "", "follow up with sales", "waiting on R&D", "shared in the group"),
    cash_reasons=("", "two deals went live late", "price rise landed"),
    revenue_notes=("ACME expanded to 40 instances", "two retail customers left for a rival",
                   "year-end budget spent early", "the price rise landed"),
    revenue_actions=("bundle discount for banks", "push the migration toolkit to retail",
                     "upsell read replicas", "win back churned games customers"),
    # one a measure, in the demo's order: partners, partner revenue, reach, events, doc coverage, first reply
    measure_notes=("two new resellers in the south", "the partner conference closed three deals",
                   "the expo and a viral case study", "fewer events in the holiday month", "docs sprint on backup",
                   "a doc owner on the support rota"),
    churn_goal_reasons=("", "", "two projects ended"),
    reviews=("", "on track all quarter", "slipped in the last month"),
    objectives=("Grow self-serve", "Win the banks"),
    risks=(("Key engineer may leave mid-release", "pair on the storage engine", "delay the minor release"),
           ("A bank changes its audit requirements", "monthly call with its DBA team",
            "ship audit export as a script first")),
    projects=("Backup 2.0", "Console redesign", "Oracle migration service", "Multi-region HA"),
    small=("Faster sign-up", "Pricing page", "Onboarding mails", "Usage alerts", "Docs search", "Trial extension"),
    phases=("design", "build", "roll-out"),
    interview="Interview ten users",
    status_quo="customers run it by hand",
    problem="slow and error-prone for banks",
    analysis="three of five lost deals named it",
    before="tickets and scripts",
    after="one click in the console",
    also_ships="{release}; audit trail",
    hard_parts="zero downtime",
    benefit="two banks signed",
    small_problem="users stall before their first database",
    small_benefit="+{n}% activation",
    separator=", ",
)

_ZH = DemoText(
    customers=tuple(name + kind for name in ("华信", "远航", "恒通", "天启", "星河", "中鼎", "瑞丰", "博远", "云帆",
                                             "金石", "海岳", "启明", "东方", "鼎盛", "华夏", "凯达")
                    for kind in ("银行", "零售", "游戏", "物流")),
    industries=("金融", "零售", "游戏", "物流", "教育", "医疗", "制造"),
    influence=("高", "中", "低"),
    reasons=("行业前三", "增长快", "标杆案例", "多地域部署"),
    churn_reasons=("价格", "转投竞品", "项目结束", "改为自建"),
    campaigns=("双十一", "618 大促", "开发者大会", "线上直播", "免费试用", "合作伙伴峰会", "春季促销", "客户案例发布"),
    improvements=("", "优化落地页", "定向投放给 DBA"),
    requirements=("跨可用区高可用", "从 Oracle 迁移", "只读副本", "审计日志"),
    progress=("POC 验证", "合同签署", "部署中", "测试中"),
    categories=("备份", "升级", "性能", "连接", "计费", "复制", "插件", "权限", "监控", "迁移", "存储", "参数",
                "高可用切换", "审计", "只读实例", "慢查询", "版本停服", "网络", "控制台", "API 调用"),
    plans=("更新文档", "下个版本修复", "新增告警", "给技术支持做培训"),
    owners=("李雷", "韩梅梅", "王芳", "张伟", "陈静", "刘洋"),
    features=("PITR 秒级恢复", "Serverless 版", "只读副本", "Oracle 迁移工具包", "审计日志", "跨地域容灾", "向量检索",
              "连接池", "大版本升级", "列存引擎"),
    profiles=("银行", "连锁零售", "游戏工作室"),
    insights={
        "industry": ("银行核心系统迁往分布式数据库", "游戏客户希望按秒计费"),
        "market": ("中型零售客户想要更便宜的高可用", "教育行业下季度预算收紧"),
        "competitor": ("某竞品 Serverless 降价 30%", "某竞品上线了 PITR 秒级恢复"),
        "trend": ("Postgres 插件生态带动采用", "AI 负载需要向量检索"),
        "self": ("升级文档缺少回滚步骤", "周末工单响应慢"),
    },
    sources=("邮件列表", "销售", "分析师报告", "工单复盘"),
    requests=("CDC 同步到 Kafka", "表结构对比 API", "慢查询导出", "跨地域同步"),
    deals=("{n} 个商机", "{n} 个商机"),
    notes=("", "", "", "跟销售同步一下", "等研发回复", "已发到群里"),
    cash_reasons=("", "两个客户上线延期", "提价已生效"),
    revenue_notes=("ACME 扩容到 40 个实例", "两家零售客户转投竞品", "年底预算提前花完", "提价已生效"),
    revenue_actions=("银行客户打包折扣", "向零售客户推迁移工具包", "推广只读副本增购", "挽回流失的游戏客户"),
    measure_notes=("华南新增两家代理商", "伙伴大会促成三单", "展会和一篇爆款案例", "假期月份活动较少", "备份文档专项",
                   "文档负责人参与技术支持轮值"),
    churn_goal_reasons=("", "", "两个项目结束"),
    reviews=("", "整个季度进展顺利", "最后一个月延期"),
    objectives=("自助开通用户增长", "拿下银行客户"),
    risks=(("核心工程师可能在发版中途离职", "存储引擎安排结对开发", "推迟小版本发布"),
           ("某银行变更审计要求", "每月与其 DBA 团队沟通", "先用脚本提供审计导出")),
    projects=("备份 2.0", "控制台改版", "Oracle 迁移服务", "多地域高可用"),
    small=("注册提速", "价格页", "新手引导邮件", "用量告警", "文档搜索", "试用延期"),
    phases=("设计", "开发", "上线推广"),
    interview="访谈十位用户",
    status_quo="客户手工操作",
    problem="对银行来说又慢又容易出错",
    analysis="五个丢单里有三个提到它",
    before="提工单加跑脚本",
    after="控制台一键完成",
    also_ships="{release}；审计留痕",
    hard_parts="零停机",
    benefit="两家银行签约",
    small_problem="用户在创建第一个数据库之前流失",
    small_benefit="激活率提升 {n}%",
    separator="、",
)

TEXT = {"en": _EN, "zh": _ZH}
