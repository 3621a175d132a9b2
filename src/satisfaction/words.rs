//! The complaint words of a month: the dissatisfied replies' text cut into
//! words by jieba (its own dictionary, with the telecom words it lacks
//! added), stop words and single characters left out, each word counted
//! once per reply, the most frequent first with the replies that hold it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use jieba_rs::Jieba;
use serde::Serialize;

/// Words jieba's dictionary does not know but customers write.
const TELECOM_WORDS: &[&str] = &[
    "宽带",
    "套餐",
    "话费",
    "流量",
    "携号转网",
    "补卡",
    "销户",
    "营业员",
    "排队",
    "叫号",
    "取号",
    "充值卡",
    "光猫",
    "装机",
    "移机",
    "实名制",
    "副卡",
    "靓号",
    "合约机",
    "5G",
    "营业厅",
    "办理业务",
    "态度差",
    "等太久",
    "不耐烦",
    "乱扣费",
    "扣费",
    "解释不清",
    "推销",
];

/// Words that say nothing about what went wrong.
const STOP_WORDS: &[&str] = &[
    "的",
    "了",
    "是",
    "我",
    "你",
    "他",
    "她",
    "们",
    "我们",
    "你们",
    "他们",
    "这个",
    "那个",
    "一个",
    "没有",
    "就是",
    "还是",
    "什么",
    "怎么",
    "这样",
    "那样",
    "而且",
    "但是",
    "因为",
    "所以",
    "如果",
    "已经",
    "非常",
    "特别",
    "比较",
    "真的",
    "有点",
    "一点",
    "一下",
    "可以",
    "不是",
    "还有",
    "不会",
    "时候",
    "现在",
    "今天",
    "昨天",
    "然后",
    "自己",
    "感觉",
    "觉得",
    "希望",
    "建议",
    "谢谢",
    "满意",
    "不满意",
    "一般",
    "评价",
    "客户",
    "服务",
    "工作人员",
    "营业厅",
    "中国",
    "电信",
    "移动",
    "联通",
    "短信",
    "回复",
    "问题",
    "一直",
    "过来",
    "这里",
    "那里",
    "还要",
    "需要",
    "没",
    "很",
    "太",
    "也",
    "都",
    "又",
    "再",
    "就",
    "还",
    "不",
    "在",
    "有",
    "和",
    "与",
    "给",
    "让",
    "被",
    "把",
    "对",
    "不了",
    "有人",
    "两个",
    "没人",
    "一次",
    "两次",
    "两趟",
    "告诉",
    "知道",
    "可能",
    "应该",
    "为什么",
    "还得",
    "营业员",
];

fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(|| {
        let mut j = Jieba::new();
        for w in TELECOM_WORDS {
            j.add_word(w, Some(2_000), None);
        }
        j
    })
}

/// The distinct words of one reply worth counting.
pub fn words(text: &str) -> BTreeSet<String> {
    jieba()
        .cut(text, true)
        .into_iter()
        .map(str::trim)
        .filter(|w| w.chars().count() >= 2)
        .filter(|w| w.chars().any(|c| c.is_alphabetic()))
        .filter(|w| !STOP_WORDS.contains(w))
        .map(str::to_string)
        .collect()
}

/// A frequent word and the replies (ids) that hold it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Frequent {
    pub word: String,
    pub count: usize,
    pub replies: Vec<i32>,
}

/// The `n` most frequent words of `texts` (reply id, text): each counted
/// once per reply; ties by the word, so the list is stable.
pub fn top(texts: &[(i32, &str)], n: usize) -> Vec<Frequent> {
    let mut found: BTreeMap<String, Vec<i32>> = BTreeMap::new();
    for (id, text) in texts {
        for w in words(text) {
            found.entry(w).or_default().push(*id);
        }
    }
    let mut list: Vec<Frequent> =
        found.into_iter().map(|(word, replies)| Frequent { word, count: replies.len(), replies }).collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.word.cmp(&b.word)));
    list.truncate(n);
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_complaint_is_cut_into_the_words_that_matter() {
        let w = words("排队等了一个小时，营业员态度很差，还乱扣费！");
        for want in ["排队", "小时", "态度", "扣费"] {
            assert!(w.iter().any(|x| x.contains(want)), "{want} in {w:?}");
        }
        for stop in ["了", "很", "一个", "营业厅", "，"] {
            assert!(!w.contains(stop), "{stop} in {w:?}");
        }
    }

    #[test]
    fn words_are_counted_once_per_reply_most_frequent_first() {
        let texts = [
            (1, "宽带装机太慢，宽带一直不通"),
            (2, "宽带报修没人管"),
            (3, "排队太久"),
            (4, "排队叫号混乱"),
            (5, "宽带资费解释不清"),
        ];
        let t = top(&texts, 2);
        // 宽带 in replies 1, 2, 5 (twice in 1 counts once); 排队 in 3, 4.
        assert_eq!(t[0], Frequent { word: "宽带".into(), count: 3, replies: vec![1, 2, 5] });
        assert_eq!(t[1], Frequent { word: "排队".into(), count: 2, replies: vec![3, 4] });
        assert_eq!(t.len(), 2);
        assert!(top(&[], 5).is_empty());
    }
}
