//! What the demo's inspectors write under a failed item, and its picture.

/// A realistic note for a failed item.
pub fn note(code: &str) -> &'static str {
    match code {
        "H3" => "12 月资费调整公告未张贴，公告栏仍有 10 月活动海报",
        "H6" => "门口易拉宝为已结束的秋季校园卡活动",
        "S5" => "2 号窗口营业员离岗 10 分钟未放暂停服务牌",
        "B1" => "抽问 5G 畅享套餐调整后资费，营业员回答错误",
        "B4" => "抽查 5 份受理单，1 份缺客户签字",
        "Q2" => "等候超过 15 分钟未增开窗口，也未引导自助终端",
        "S1" => "一名营业员未佩戴工牌",
        "H2" => "受理台堆放宣传单和客户资料袋",
        _ => "现场检查不符合要求",
    }
}

/// A small picture standing in for a phone photo (a notice board, roughly).
pub fn picture() -> Vec<u8> {
    let img = image::RgbImage::from_fn(320, 240, |x, y| {
        if (40..280).contains(&x) && (30..200).contains(&y) {
            if (y / 20) % 2 == 0 {
                image::Rgb([235, 235, 225])
            } else {
                image::Rgb([210, 210, 200])
            }
        } else {
            image::Rgb([120, 90, 60])
        }
    });
    let mut out = Vec::new();
    let _ = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80).encode_image(&img);
    out
}
