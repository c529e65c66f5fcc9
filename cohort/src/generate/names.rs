//! Names for free-text attributes, by what the attribute is about. The pools are small on
//! purpose: `highest only per name` rules need the same name to come back.

/// Pools of names, each for attribute ids containing one of its keys; the first pool that
/// matches wins, so the most specific keys come first (`course-name` before `name`).
const POOLS: [(&[&str], &[&str]); 9] = [
    (
        &["course"],
        &[
            "Python语言程序设计",
            "数据结构与算法分析",
            "机器学习基础",
            "大学计算机基础",
            "数据库系统概论",
            "云计算与大数据技术",
            "人工智能导论",
            "Linux操作系统",
        ],
    ),
    (
        &["title"],
        &[
            "基于深度学习的图像识别方法研究",
            "一种分布式存储系统的负载均衡算法",
            "高校学分银行建设的实践与思考",
            "面向教育数据的可视化分析",
        ],
    ),
    (
        &["cert"],
        &[
            "大数据平台运维",
            "Web前端开发",
            "数据采集",
            "云计算平台运维与开发",
            "大数据应用开发（Python）",
        ],
    ),
    (
        &["position"],
        &[
            "数据分析员",
            "运维工程师",
            "软件测试员",
            "网络管理员",
            "数据标注员",
        ],
    ),
    (
        &["programme", "program", "training"],
        &[
            "大数据分析师培训",
            "华为云计算认证培训",
            "数据库管理员培训",
            "网络安全技术培训",
        ],
    ),
    (
        &["system"],
        &["全国志愿服务信息系统", "志愿汇", "校团委记录"],
    ),
    (&["exam"], &["全国计算机等级考试", "大学英语考试"]),
    (
        &["employer", "organiser", "organizer"],
        &[
            "教育部",
            "人力资源和社会保障部",
            "中国计算机学会",
            "华为技术有限公司",
            "腾讯科技（深圳）有限公司",
            "示范市数据资源管理局",
        ],
    ),
    (
        &["contest", "competition", "name"],
        &[
            "中国国际大学生创新大赛",
            "挑战杯全国大学生课外学术科技作品竞赛",
            "全国大学生数学建模竞赛",
            "蓝桥杯全国软件和信息技术专业人才大赛",
            "ACM-ICPC国际大学生程序设计竞赛",
            "全国大学生电子设计竞赛",
            "全国职业院校技能大赛大数据应用开发赛项",
        ],
    ),
];

/// Names for anything else.
const FALLBACK: &[&str] = &["示范项目一", "示范项目二", "示范项目三", "示范项目四"];

/// The pool for an attribute id.
pub(crate) fn pool(attribute: &str) -> &'static [&'static str] {
    POOLS
        .iter()
        .find(|(keys, _)| keys.iter().any(|k| attribute.contains(k)))
        .map_or(FALLBACK, |(_, names)| names)
}

/// Who grants exceptions.
pub(crate) const GRANTORS: &[&str] = &["教务处", "学院教学委员会", "学分银行管理中心"];

/// Why exceptions are granted.
pub(crate) const REASONS: &[&str] = &[
    "交换学期所修课程经学院认定",
    "转专业学生课程认定",
    "休学复学后按新培养方案执行",
    "因病缓考，经学院审批",
];

/// Codes of courses taken elsewhere (transfer courses), not in any catalog.
pub(crate) const TRANSFER_CODES: &[&str] = &[
    "XT-DS101",
    "XT-AI201",
    "ICM-PY101",
    "ICM-ST202",
    "PKU-EC101",
    "EX-CS330",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_find_their_pool() {
        assert!(pool("course-name").contains(&"机器学习基础"));
        assert!(pool("contest").contains(&"全国大学生数学建模竞赛"));
        assert!(pool("organiser").contains(&"教育部"));
        assert_eq!(pool("something-else"), FALLBACK);
    }
}
