//! The inspection standard's versions: the shipped 30 items (the province's
//! 零容忍 standard as the city re-weighted it toward what customers feel:
//! 业务能力 and 排队等候 weigh most) and each edit saved as a new version.
//! An inspection keeps the version it was started with.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::rules::{Band, Item, Standard, ZeroTolerance};
use crate::db::Conn;
use crate::schema::inspection_standards;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = inspection_standards)]
pub struct Version {
    pub id: i32,
    pub version: i32,
    pub body: String,
    pub note: String,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
}

impl Version {
    /// The standard this version holds (the shipped one if the JSON is unreadable,
    /// which only a hand-edited database can cause).
    pub fn standard(&self) -> Standard {
        serde_json::from_str(&self.body).unwrap_or_else(|_| shipped())
    }

    /// The newest version, saving the shipped standard as version 1 on first use.
    pub fn current(conn: &mut Conn, now: NaiveDateTime) -> QueryResult<Version> {
        let newest = inspection_standards::table
            .order(inspection_standards::version.desc())
            .select(Version::as_select())
            .first(conn)
            .optional()?;
        match newest {
            Some(v) => Ok(v),
            None => Version::save(conn, &shipped(), crate::web::msg::INSPECT_STANDARD_SHIPPED, None, now),
        }
    }

    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<Version> {
        inspection_standards::table.find(id).select(Version::as_select()).first(conn)
    }

    pub fn all(conn: &mut Conn) -> QueryResult<Vec<Version>> {
        inspection_standards::table
            .order(inspection_standards::version.desc())
            .select(Version::as_select())
            .load(conn)
    }

    /// Saves a (validated) standard as the next version.
    pub fn save(
        conn: &mut Conn,
        standard: &Standard,
        note: &str,
        by: Option<i32>,
        now: NaiveDateTime,
    ) -> QueryResult<Version> {
        let last: Option<i32> = inspection_standards::table
            .select(diesel::dsl::max(inspection_standards::version))
            .first(conn)?;
        let body = serde_json::to_string(standard).unwrap_or_default();
        let id: i32 = diesel::insert_into(inspection_standards::table)
            .values((
                inspection_standards::version.eq(last.unwrap_or(0) + 1),
                inspection_standards::body.eq(body),
                inspection_standards::note.eq(note),
                inspection_standards::created_by.eq(by),
                inspection_standards::created_at.eq(now),
            ))
            .returning(inspection_standards::id)
            .get_result(conn)?;
        Version::find(conn, id)
    }
}

/// (code, section, name, how to check, points in whole points, 零容忍, photo on fail)
type Row = (&'static str, &'static str, &'static str, &'static str, i64, ZeroTolerance, bool);

const HARDWARE: &str = "硬件环境";
const SERVICE: &str = "服务规范";
const ABILITY: &str = "业务能力";
const QUEUE: &str = "排队等候";
const SAFETY: &str = "安全与合规";

use ZeroTolerance::{All, None as Plain, Section};

const ROWS: [Row; 30] = [
    (
        "H1",
        HARDWARE,
        "门头招牌完好，厅内照明正常",
        "店外看招牌字体无缺损、灯箱亮；厅内无不亮灯管",
        2,
        Plain,
        true,
    ),
    (
        "H2",
        HARDWARE,
        "地面、台面整洁，无杂物堆放",
        "巡看受理台、等候区、体验区，台面仅放规定物品",
        2,
        Plain,
        false,
    ),
    (
        "H3",
        HARDWARE,
        "资费及业务公告齐全且在有效期内",
        "核对公告栏与当月资费调整通知，过期公告须撤下",
        3,
        Plain,
        true,
    ),
    (
        "H4",
        HARDWARE,
        "叫号机、评价器、POS 等设备运行正常",
        "取号一次、按评价器一次、查看 POS 签到状态",
        2,
        Plain,
        false,
    ),
    (
        "H5",
        HARDWARE,
        "自助终端可用，故障已报修并张贴提示",
        "逐台开机查看；故障机须有报修单号与暂停服务提示",
        2,
        Plain,
        true,
    ),
    (
        "H6",
        HARDWARE,
        "宣传品摆放规范，无过期海报与手写告示",
        "对照当期营销口径清单检查海报、台卡、易拉宝",
        1,
        Plain,
        true,
    ),
    (
        "H7",
        HARDWARE,
        "便民设施齐全（座椅、饮水、老花镜、充电）",
        "逐项查看便民服务台，老花镜、充电线可用",
        2,
        Plain,
        false,
    ),
    ("H8", HARDWARE, "厅内温度适宜、通风良好、无异味", "体感检查，空调按季节设定温度", 1, Plain, false),
    ("S1", SERVICE, "统一着装、佩戴工牌，仪容整洁", "逐人查看工装、工牌、发型与妆容", 3, Plain, false),
    ("S2", SERVICE, "起身迎客，首问负责，使用文明用语", "观察至少 3 名客户的接待过程", 4, Plain, false),
    (
        "S3",
        SERVICE,
        "不使用服务禁语，不与客户争执",
        "观察接待过程并抽查评价器差评记录；出现即本节不得分",
        4,
        Section,
        false,
    ),
    ("S4", SERVICE, "办理结束双手递交单据，提醒客户核对", "观察受理结束环节", 2, Plain, false),
    ("S5", SERVICE, "营业时间内不离岗，暂停服务放置标识", "查看各窗口在岗情况与暂停服务牌", 3, Plain, true),
    ("S6", SERVICE, "柜台内不玩手机、不吃东西、不闲聊", "巡看受理区及后台", 3, Plain, false),
    (
        "S7",
        SERVICE,
        "投诉客户引导至值班经理，首问记录完整",
        "查看当日首问负责登记本与投诉记录",
        3,
        Plain,
        false,
    ),
    (
        "S8",
        SERVICE,
        "老年客户爱心通道与适老化服务落实",
        "查看爱心窗口标识，询问老年客户是否优先办理",
        3,
        Plain,
        false,
    ),
    (
        "B1",
        ABILITY,
        "抽问当月资费政策，回答准确",
        "随机抽 1 名营业员问当月新政 2 题，均答对为合格",
        5,
        Plain,
        false,
    ),
    (
        "B2",
        ABILITY,
        "抽问携号转网条件与流程，回答准确",
        "随机抽 1 名营业员问携转授权码、欠费、合约限制",
        4,
        Plain,
        false,
    ),
    (
        "B3",
        ABILITY,
        "实名登记人证合一，人像比对全部执行",
        "抽查当日 5 笔入网单与人像比对记录；出现未比对即全部不得分",
        5,
        All,
        true,
    ),
    ("B4", ABILITY, "业务受理单据填写完整，客户签字齐全", "抽查当日 5 份受理单", 4, Plain, true),
    (
        "B5",
        ABILITY,
        "无违规办理（一证超限、未授权代办）",
        "抽查系统一证多卡与代办授权记录；出现即全部不得分",
        4,
        All,
        true,
    ),
    (
        "B6",
        ABILITY,
        "客户信息保护：复印件、屏幕、单据不外泄",
        "查看台面有无客户证件复印件，屏幕是否背向客户",
        3,
        Section,
        true,
    ),
    (
        "B7",
        ABILITY,
        "普通业务办理时长不超过 10 分钟",
        "计时观察 2 笔普通业务（缴费、补卡、套餐变更）",
        3,
        Plain,
        false,
    ),
    ("B8", ABILITY, "营销推荐符合口径，不误导客户", "旁听一次推荐过程，对照当期营销口径", 2, Plain, false),
    ("Q1", QUEUE, "最长等候时间（按分钟计分）", "查看叫号系统当前最长等候时间并数等候人数", 16, Plain, false),
    (
        "Q2",
        QUEUE,
        "等候超过 15 分钟时启动分流",
        "增开窗口、引导自助终端或电子渠道，查看分流记录",
        4,
        Plain,
        false,
    ),
    (
        "C1",
        SAFETY,
        "营业款与有价卡券日结入柜，钥匙专人保管",
        "查看日结单与保险柜钥匙交接记录",
        3,
        Plain,
        true,
    ),
    ("C2", SAFETY, "消防通道畅通，灭火器在有效期内", "巡看安全出口与灭火器压力表、检验标签", 3, Plain, true),
    ("C3", SAFETY, "监控设备正常，录像保存不少于 30 天", "在监控主机回放 30 天前录像", 2, Plain, false),
    ("C4", SAFETY, "反诈宣传到位，可疑业务按规定核查上报", "查看反诈宣传物料与涉诈核查登记", 2, Plain, false),
];

/// The standard examhall ships (version 1 of a new site).
pub fn shipped() -> Standard {
    let items = ROWS
        .iter()
        .map(|&(code, section, name, how, points, zero, photo_on_fail)| Item {
            code: code.into(),
            section: section.into(),
            name: name.into(),
            how: how.into(),
            points: points * 100,
            zero,
            photo_on_fail,
            queue: code == "Q1",
        })
        .collect();
    // Waiting up to 10 minutes is full marks; past 30 minutes nothing.
    let bands = [(10, 100), (15, 80), (20, 50), (30, 20)]
        .into_iter()
        .map(|(minutes, percent)| Band { minutes, percent })
        .collect();
    Standard { items, bands }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_standard_has_thirty_items_and_is_valid() {
        let s = shipped();
        assert_eq!(s.items.len(), 30);
        assert_eq!(s.validate(), Ok(()));
        assert_eq!(s.sections(), vec![HARDWARE, SERVICE, ABILITY, QUEUE, SAFETY]);
        // Re-weighted toward what customers feel: 业务能力 30 and 排队等候 20
        // are the two heaviest sections (硬件 15, 服务 25, 安全 10).
        let section =
            |name: &str| s.items.iter().filter(|i| i.section == name).map(|i| i.points).sum::<i64>();
        assert_eq!(
            [section(HARDWARE), section(SERVICE), section(ABILITY), section(QUEUE), section(SAFETY)],
            [1500, 2500, 3000, 2000, 1000]
        );
    }
}
