//! Where a policy applies and at which level, as far as its names say: the provinces (GB/T
//! 2260), a city a name begins with, and whether a body is national. Used by [`super::propose`].

use regex::Regex;
use std::sync::LazyLock;

/// The provinces, municipalities and autonomous regions (GB/T 2260), each with its short form.
const PROVINCES: &[(&str, &str)] = &[
    ("北京市", "北京"),
    ("天津市", "天津"),
    ("河北省", "河北"),
    ("山西省", "山西"),
    ("内蒙古自治区", "内蒙古"),
    ("辽宁省", "辽宁"),
    ("吉林省", "吉林"),
    ("黑龙江省", "黑龙江"),
    ("上海市", "上海"),
    ("江苏省", "江苏"),
    ("浙江省", "浙江"),
    ("安徽省", "安徽"),
    ("福建省", "福建"),
    ("江西省", "江西"),
    ("山东省", "山东"),
    ("河南省", "河南"),
    ("湖北省", "湖北"),
    ("湖南省", "湖南"),
    ("广东省", "广东"),
    ("广西壮族自治区", "广西"),
    ("海南省", "海南"),
    ("重庆市", "重庆"),
    ("四川省", "四川"),
    ("贵州省", "贵州"),
    ("云南省", "云南"),
    ("西藏自治区", "西藏"),
    ("陕西省", "陕西"),
    ("甘肃省", "甘肃"),
    ("青海省", "青海"),
    ("宁夏回族自治区", "宁夏"),
    ("新疆维吾尔自治区", "新疆"),
    ("台湾省", "台湾"),
    ("香港特别行政区", "香港"),
    ("澳门特别行政区", "澳门"),
];

/// The province `s` begins with, as `s` writes it (full or short form).
fn province_prefix(s: &str) -> Option<&'static str> {
    PROVINCES.iter().find_map(|(full, short)| {
        if s.starts_with(full) {
            Some(*full)
        } else {
            s.starts_with(short).then_some(*short)
        }
    })
}

static CITY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\p{Han}{2,3}市)").expect("regex"));

/// A city the name begins with (`广州市人民政府办公厅`), not a province and not `市场…`.
fn city_prefix(s: &str) -> Option<String> {
    let c = CITY.captures(s)?[1].to_string();
    (province_prefix(&c).is_none() && !s.starts_with("市场")).then_some(c)
}

/// The region the text states: the article title's place (`福建：…`), else the place the
/// issuers' or the document's name begins with.
pub fn region(title: &str, issuers: &[String], name: &str) -> Option<String> {
    let head = title
        .split(['：', ':'])
        .next()
        .filter(|h| h.len() < title.len());
    if let Some(p) = head.and_then(|h| (province_prefix(h) == Some(h)).then_some(h)) {
        return Some(p.to_string());
    }
    let names = issuers.iter().map(String::as_str).chain([name]);
    for n in names {
        if let Some(p) = province_prefix(n) {
            return Some(p.to_string());
        }
        if let Some(c) = city_prefix(n) {
            return Some(c);
        }
    }
    None
}

const NATIONAL_STARTS: &[&str] = &["国务院", "国家", "中国", "中央", "全国"];
const NATIONAL_PARTS: &[&str] = &[
    "部",
    "总局",
    "总署",
    "证监会",
    "国资委",
    "人民银行",
    "发展改革委",
    "卫生健康委",
];

fn is_local(issuer: &str) -> bool {
    PROVINCES
        .iter()
        .any(|(full, short)| issuer.contains(full) || issuer.contains(short))
        || city_prefix(issuer).is_some()
        || issuer.starts_with(['省', '区', '县'])
        || (issuer.starts_with('市') && !issuer.starts_with("市场"))
}

fn is_national(issuer: &str) -> bool {
    !is_local(issuer)
        && (NATIONAL_STARTS.iter().any(|s| issuer.starts_with(s))
            || NATIONAL_PARTS.iter().any(|p| issuer.contains(p)))
}

/// 国家 when every issuer is a national body; 省级 or 市级 when an issuer is a province's or a
/// city's (by its name, or by `省`/`市` standing for the region the article is about).
pub fn level(issuers: &[String], region: Option<&str>) -> Option<&'static str> {
    if issuers.is_empty() {
        return None;
    }
    if issuers.iter().all(|i| is_national(i)) {
        return Some("国家");
    }
    let province =
        |i: &str| province_prefix(i).is_some() || (i.starts_with('省') && region.is_some());
    let city = |i: &str| {
        city_prefix(i).is_some()
            || (i.starts_with('市') && !i.starts_with("市场") && region.is_some())
    };
    if issuers.iter().any(|i| city(i)) {
        Some("市级")
    } else if issuers.iter().any(|i| province(i)) {
        Some("省级")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_and_region_as_stated() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(level(&v(&["财政部", "中国人民银行"]), None), Some("国家"));
        assert_eq!(
            level(&v(&["上海市文化和旅游局"]), Some("上海")),
            Some("省级")
        );
        assert_eq!(
            level(&v(&["广州市人民政府办公厅"]), Some("广州市")),
            Some("市级")
        );
        assert_eq!(level(&v(&["省工信厅"]), Some("福建")), Some("省级"));
        assert_eq!(level(&v(&["省工信厅"]), None), None);
        assert_eq!(level(&[], Some("福建")), None);
        assert_eq!(
            region(
                "福建：实施五项工程",
                &[],
                "推动工业领域设备更新工作实施方案"
            ),
            Some("福建".into())
        );
        assert_eq!(region("两部门：支持", &v(&["财政部"]), "关于…的通知"), None);
        assert_eq!(
            region("x", &v(&["广州市人民政府办公厅"]), "…"),
            Some("广州市".into())
        );
    }
}
