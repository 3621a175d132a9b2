//! Question banks through the trainer pages and the CLI.

use examhall::auth::Role;
use reqwest::StatusCode;

use crate::helpers::{extract, location, Browser, TestApp};

const GOOD: &str = "\
# 携号转网/办理条件
1.【单选】携号转网前，客户应先通过什么方式获取授权码？
A. 到营业厅现场申请
B. 发送短信查询授权码
C. 拨打110
D. 无需授权码
【答案】B
【知识点】授权码
【渠道】营业厅

2. 客户号码存在欠费时可以办理携号转网。
【答案】错误
【知识点】携号转网条件

3. 实名登记可使用的证件有哪些？（多选）
A. 居民身份证  B. 临时居民身份证
C. 户口簿      D. 会员卡
【答案】ABC
【知识点】实名制
";

const BAD_LINE: &str = "\
4.【单选】补换卡需要携带什么？
A. 本人有效证件
B. 任意照片
【答案】AB
";

async fn trainer_with_bank(app: &TestApp) -> (Browser, String) {
    let city = app.seed_city();
    app.add_user("90001", "周培训", None, &[(Role::Trainer, city.city)]);
    let b = app.browser();
    b.login_ok("90001").await;
    let res = b.post("/bank", &[("name", "营业厅月考题库"), ("description", "测试")]).await;
    let bank = location(&res);
    assert!(bank.starts_with("/bank/"), "{bank}");
    (b, bank)
}

async fn paste(b: &Browser, bank: &str, text: &str) -> (StatusCode, String) {
    let res = b.post(&format!("{bank}/import/paste"), &[("text", text)]).await;
    (res.status(), crate::helpers::unescape(res.text().await.unwrap()))
}

async fn confirm(b: &Browser, html: &str, extra: &[(&str, &str)]) -> reqwest::Response {
    let action = extract(html, r#"action="(/bank/\d+/import/\d+/confirm)""#).expect("confirm form");
    let fingerprint = extract(html, r#"name="fingerprint" value="([0-9a-f]+)""#).unwrap();
    let mut fields = vec![("fingerprint", fingerprint.as_str())];
    fields.extend_from_slice(extra);
    b.post(&action, &fields).await
}

fn count_questions(app: &TestApp) -> usize {
    let bank = examhall::bank::model::Bank::find_by_name(&mut app.conn(), "营业厅月考题库").unwrap().unwrap();
    examhall::bank::model::Bank::questions(&mut app.conn(), bank.id).unwrap().len()
}

#[tokio::test]
async fn a_file_with_a_bad_question_imports_nothing_until_fixed_or_skipped() {
    let app = TestApp::spawn().await;
    let (b, bank) = trainer_with_bank(&app).await;
    let (status, html) = paste(&b, &bank, &format!("{GOOD}\n{BAD_LINE}")).await;
    assert_eq!(status, StatusCode::OK);
    // The error is on the answer line (24, the question starts at 21) and names its question.
    assert!(html.contains("第 24 行</td>") && html.contains("单选题有2个正确答案"), "row-level error shown");
    assert!(html.contains("（题目：补换卡需要携带什么？）"), "{html}");
    assert!(html.contains(r#"<span class="stat-value">3</span><span class="stat-label">新题</span>"#));

    // Confirming without choosing to skip the bad question writes nothing.
    let res = confirm(&b, &html, &[]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(count_questions(&app), 0);

    // The trainer may import the valid ones only.
    let res = confirm(&b, &html, &[("skip_invalid", "1")]).await;
    assert_eq!(location(&res), bank);
    assert!(b.get_text(&bank).await.contains("导入完成：新增 3 题，重复跳过 0 题，有错误跳过 1 题"));
    assert_eq!(count_questions(&app), 3);

    // The same file again: everything is a duplicate, nothing to confirm.
    let (_, html) = paste(&b, &bank, GOOD).await;
    assert!(html.contains("与题库中已有题目重复"));
    assert!(html.contains("没有可导入的新题"));
}

#[tokio::test]
async fn questions_are_found_by_text_knowledge_point_and_type() {
    let app = TestApp::spawn().await;
    let (b, bank) = trainer_with_bank(&app).await;
    let (_, html) = paste(&b, &bank, GOOD).await;
    confirm(&b, &html, &[]).await;
    let stems = |html: &str| -> usize { html.matches(r#"<a href="/bank/questions/"#).count() / 2 };
    assert_eq!(stems(&b.get_text(&bank).await), 3);
    let page = b.get_text(&format!("{bank}?q=授权码")).await;
    assert_eq!(stems(&page), 1);
    assert!(page.contains("携号转网前，客户应先通过什么方式获取授权码"));
    assert_eq!(stems(&b.get_text(&format!("{bank}?kp=实名")).await), 1);
    assert_eq!(stems(&b.get_text(&format!("{bank}?kind=true_false")).await), 1);
    assert_eq!(stems(&b.get_text(&format!("{bank}?channel=hall")).await), 1);
    assert_eq!(stems(&b.get_text(&format!("{bank}?category=携号转网")).await), 3);
}

#[tokio::test]
async fn an_edit_is_a_new_version_and_retired_questions_leave_the_list() {
    let app = TestApp::spawn().await;
    let (b, bank) = trainer_with_bank(&app).await;
    let (_, html) = paste(&b, &bank, GOOD).await;
    confirm(&b, &html, &[]).await;
    let list = b.get_text(&bank).await;
    let first = extract(&list, r#"href="(/bank/questions/\d+)""#).unwrap();
    let page = b.get_text(&first).await;
    let text = extract(&page, r#"(?s)<textarea id="edit-text"[^>]*>(.*?)</textarea>"#).unwrap();
    let text = text.replace("&#x2F;", "/").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
    let edited = text.replace("发送短信查询授权码", "发送短信查询携转授权码");
    assert_ne!(edited, text);

    let res = b.post(&first, &[("text", &edited)]).await;
    let page = b.get_text(&location(&res)).await;
    assert!(page.contains("已保存为第 2 版"));
    assert!(page.contains("第 1 版") && page.contains("第 2 版"));
    assert!(page.contains("发送短信查询携转授权码"));
    // Saving the same text again makes no version 3.
    let res = b.post(&first, &[("text", &edited)]).await;
    assert!(b.get_text(&location(&res)).await.contains("内容没有变化"));
    // A broken edit is refused with its line, next to the text as typed.
    let res = b.post(&first, &[("text", "1.【单选】只有一个选项\nA. 甲\n【答案】A")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("第1行：选择题至少需要 2 个选项"));
    assert!(html.contains("只有一个选项"));

    let res = b.post(&format!("{first}/status"), &[("retired", "true")]).await;
    assert!(b.get_text(&location(&res)).await.contains("已停用该题"));
    assert_eq!(count_questions(&app), 2);
    assert!(!b.get_text(&bank).await.contains(&format!("href=\"{first}\"")));
    assert!(b.get_text(&format!("{bank}?retired=1")).await.contains(&format!("href=\"{first}\"")));

    // While it is retired the same question is imported again; restoring the old copy is refused.
    let (_, html) = paste(&b, &bank, &edited).await;
    confirm(&b, &html, &[]).await;
    let res = b.post(&format!("{first}/status"), &[("retired", "false")]).await;
    assert!(b.get_text(&location(&res)).await.contains("不能恢复：与在用的题目"));
    assert_eq!(count_questions(&app), 3);
}

#[tokio::test]
async fn export_then_import_reproduces_the_bank() {
    let app = TestApp::spawn().await;
    let (b, bank) = trainer_with_bank(&app).await;
    let (_, html) = paste(&b, &bank, GOOD).await;
    confirm(&b, &html, &[]).await;
    let exported = b.get_text(&format!("{bank}/export.txt")).await;
    let original = examhall::bank::formats::text::parse(GOOD);
    let again = examhall::bank::formats::text::parse(&exported);
    assert!(again.errors.is_empty(), "{:?}", again.errors);
    let q =
        |p: &examhall::bank::formats::Parsed| p.items.iter().map(|i| i.question.clone()).collect::<Vec<_>>();
    assert_eq!(q(&original), q(&again));
}

#[tokio::test]
async fn import_bank_cli_reports_lines_and_exits_non_zero_when_nothing_was_imported() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, format!("{GOOD}\n{BAD_LINE}")).unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_examhall"))
            .args(args)
            .env("DATABASE_URL", &app.db_url)
            .env("RUST_LOG", "error")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let path = bad.to_str().unwrap();
    let (code, _, err) = run(&["import-bank", path, "--bank", "营业厅月考题库"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("bad.txt:24：单选题有2个正确答案"), "{err}");
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "会议纪要：请认真学习。").unwrap();
    let (code, _, err) =
        run(&["import-bank", notes.to_str().unwrap(), "--bank", "营业厅月考题库", "--skip-invalid"]);
    assert_eq!(code, Some(1), "nothing recognised, nothing imported");
    assert!(err.contains("notes.txt:1：文件中没有识别到任何题目"), "{err}");
    let (code, out, _) =
        run(&["import-bank", path, "--bank", "营业厅月考题库", "--skip-invalid", "--dry-run"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("新题 3，重复 0，错误 1"), "{out}");
    assert!(examhall::bank::model::Bank::find_by_name(&mut app.conn(), "营业厅月考题库").unwrap().is_none());
    let (code, out, _) = run(&["import-bank", path, "--bank", "营业厅月考题库", "--skip-invalid"]);
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(count_questions(&app), 3);
    let export = dir.path().join("out.txt");
    let (code, out, _) = run(&[
        "export-bank",
        "--bank",
        "营业厅月考题库",
        "--format",
        "text",
        "--output",
        export.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{out}");
    let (code, out, _) = run(&["import-bank", export.to_str().unwrap(), "--bank", "营业厅月考题库"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("新题 0，重复 3"), "{out}");
}

#[tokio::test]
async fn the_excel_template_and_excel_export_import_cleanly() {
    let app = TestApp::spawn().await;
    let (b, bank) = trainer_with_bank(&app).await;
    let template = b.get("/bank/template.xlsx").await.bytes().await.unwrap().to_vec();
    crate::helpers::assert_template(&template, &["题目", "填写说明"], true, "题型");
    let res = b.upload(&format!("{bank}/import"), "模板.xlsx", template).await;
    let html = crate::helpers::unescape(res.text().await.unwrap());
    assert!(
        html.contains(r#"<span class="stat-value">2</span><span class="stat-label">新题</span>"#),
        "{html}"
    );
    confirm(&b, &html, &[]).await;
    let (_, html) = paste(&b, &bank, GOOD).await;
    assert!(html.contains("与题库中已有题目重复"), "the template's 判断 example is also in GOOD");
    confirm(&b, &html, &[]).await;
    assert_eq!(count_questions(&app), 4);

    let exported = b.get(&format!("{bank}/export.xlsx")).await.bytes().await.unwrap().to_vec();
    crate::helpers::assert_template(&exported, &["题目", "填写说明"], true, "题型");
    {
        // 分值 and 难度 are numbers a supervisor can sum and filter: 1 and 2 for the first example.
        use calamine::{Data, Reader};
        let mut wb: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(exported.clone())).unwrap();
        let sheet = wb.worksheet_range("题目").unwrap();
        assert_eq!(
            (sheet.get((0, 12)), sheet.get((0, 13))),
            (Some(&Data::String("分值".into())), Some(&Data::String("难度".into())))
        );
        assert_eq!(
            (sheet.get((1, 12)), sheet.get((1, 13))),
            (Some(&Data::Float(1.0)), Some(&Data::Float(2.0)))
        );
    }
    let res = b.upload(&format!("{bank}/import"), "导出.xlsx", exported).await;
    let html = crate::helpers::unescape(res.text().await.unwrap());
    assert!(html.contains(r#"<span class="stat-value">4</span><span class="stat-label">重复（跳过）</span>"#));

    // A GBK CSV with the template's columns, as Excel on Chinese Windows saves it.
    let csv = "题型,题干,选项A,选项B,答案,渠道\n单选,销户前须结清什么？,欠费,积分,A,营业厅\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(csv);
    let res = b.upload(&format!("{bank}/import"), "题目.csv", gbk.to_vec()).await;
    let html = crate::helpers::unescape(res.text().await.unwrap());
    assert!(html.contains("销户前须结清什么？"), "{html}");
}

#[tokio::test]
async fn gift_export_imports_back_as_the_same_questions() {
    let app = TestApp::spawn().await;
    let (b, bank) = trainer_with_bank(&app).await;
    let (_, html) = paste(&b, &bank, GOOD).await;
    confirm(&b, &html, &[]).await;
    let gift = b.get(&format!("{bank}/export.gift")).await.text().await.unwrap();
    assert!(gift.contains("$CATEGORY:") && gift.contains("=发送短信查询授权码"), "{gift}");
    let res = b.upload(&format!("{bank}/import"), "bank.gift", gift.into_bytes()).await;
    let html = crate::helpers::unescape(res.text().await.unwrap());
    assert!(
        html.contains(r#"<span class="stat-value">3</span><span class="stat-label">重复（跳过）</span>"#),
        "{html}"
    );
    // A GIFT file with a type examhall cannot hold lists it as skipped, with its line.
    let gift = "::q1:: 携转授权码有效期多少天？ {=30 =三十}\n\n::q2:: 配对 {=甲 -> 乙 =丙 -> 丁}\n";
    let res = b.upload(&format!("{bank}/import"), "mixed.gift", gift.as_bytes().to_vec()).await;
    let html = crate::helpers::unescape(res.text().await.unwrap());
    assert!(html.contains("第 3 行") && html.contains("无法导入，已跳过"), "{html}");
    assert!(html.contains(r#"<span class="stat-value">1</span><span class="stat-label">新题</span>"#));
}

#[tokio::test]
async fn a_failure_halfway_through_an_import_leaves_nothing_behind() {
    use diesel::connection::SimpleConnection;
    let app = TestApp::spawn().await;
    let (b, bank) = trainer_with_bank(&app).await;
    // The database refuses the third question, as a full disk or a lost server would.
    let refuse = match &*app.conn() {
        examhall::db::Conn::Sqlite(_) => {
            "CREATE TRIGGER refuse BEFORE INSERT ON question_versions WHEN NEW.stem LIKE '%实名登记%' \
             BEGIN SELECT RAISE(ABORT, 'refused'); END;"
        }
        examhall::db::Conn::Pg(_) => {
            "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN \
             IF NEW.stem LIKE '%实名登记%' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql; \
             CREATE TRIGGER refuse BEFORE INSERT ON question_versions FOR EACH ROW EXECUTE FUNCTION refuse();"
        }
    };
    app.conn().batch_execute(refuse).unwrap();
    let (_, html) = paste(&b, &bank, GOOD).await;
    let res = confirm(&b, &html, &[]).await;
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(res.text().await.unwrap().contains("服务器内部错误"));
    assert_eq!(count_questions(&app), 0, "the two questions before the failure were rolled back");
}

#[tokio::test]
async fn an_edit_that_duplicates_another_question_is_reported() {
    let app = TestApp::spawn().await;
    let (b, bank) = trainer_with_bank(&app).await;
    let (_, html) = paste(&b, &bank, GOOD).await;
    confirm(&b, &html, &[]).await;
    let list = b.get_text(&bank).await;
    let ids: Vec<String> = regex::Regex::new(r#"href="(/bank/questions/\d+)""#)
        .unwrap()
        .captures_iter(&list)
        .map(|c| c[1].to_string())
        .collect();
    // Make question 2 read exactly like question 1.
    let first = b.get_text(&ids[0]).await;
    let text = extract(&first, r#"(?s)<textarea id="edit-text"[^>]*>(.*?)</textarea>"#)
        .unwrap()
        .replace("&#x2F;", "/");
    let res = b.post(&ids[2], &[("text", &text)]).await;
    let page = b.get_text(&location(&res)).await;
    assert!(page.contains("注意：与题目") && page.contains("重复"), "duplicate reported on edit");
}

#[tokio::test]
async fn knowledge_points_keep_their_commas() {
    let app = TestApp::spawn().await;
    let (b, bank) = trainer_with_bank(&app).await;
    let gift = "// [tag:4G,5G融合]\n::q:: 融合套餐包含哪些网络？ {T}\n";
    let res = b.upload(&format!("{bank}/import"), "kp.gift", gift.as_bytes().to_vec()).await;
    confirm(&b, &res.text().await.unwrap(), &[]).await;
    let b_id =
        examhall::bank::model::Bank::find_by_name(&mut app.conn(), "营业厅月考题库").unwrap().unwrap().id;
    let questions = examhall::bank::model::Bank::questions(&mut app.conn(), b_id).unwrap();
    assert_eq!(questions[0].knowledge_points, vec!["4G,5G融合".to_string()]);
    assert!(b.get_text(&format!("{bank}?kp=5G融合")).await.contains("融合套餐包含哪些网络"));
}

#[tokio::test]
async fn a_preview_can_only_be_confirmed_into_its_own_bank() {
    let app = TestApp::spawn().await;
    let (b, bank) = trainer_with_bank(&app).await;
    let other = location(&b.post("/bank", &[("name", "热线题库")]).await);
    let (_, html) = paste(&b, &bank, GOOD).await;
    let action = extract(&html, r#"action="(/bank/\d+/import/\d+/confirm)""#).unwrap();
    let fingerprint = extract(&html, r#"name="fingerprint" value="([0-9a-f]+)""#).unwrap();
    let elsewhere = action.replacen(&bank, &other, 1);
    assert_ne!(elsewhere, action);
    let res = b.post(&elsewhere, &[("fingerprint", &fingerprint)]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(count_questions(&app), 0);
    assert_eq!(location(&b.post(&action, &[("fingerprint", &fingerprint)]).await), bank);
    assert_eq!(count_questions(&app), 3);
}

/// A Word file as trainers have them: the preview shows each question beside
/// its lines with what was inferred; a corrected answer and a question left
/// out are honoured on confirm.
#[tokio::test]
async fn a_word_bank_is_previewed_beside_its_source_and_corrected_before_import() {
    let app = TestApp::spawn().await;
    let (b, bank) = trainer_with_bank(&app).await;
    let docx =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/question_bank/samples/26-word-basic.docx"))
            .unwrap();
    let res = b.upload(&format!("{bank}/import"), "营业厅题库.docx", docx).await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = crate::helpers::unescape(res.text().await.unwrap());
    assert!(html.contains("识别到：") && html.contains("Word 文档"), "the conventions are named");
    assert!(html.contains("答案行「答案：」"), "{html}");
    // Question 4 (line 11 of the document) took its answer from the stem: flagged.
    let q4 = &html[html.find(r#"id="q-11""#).expect("question 4 beside its source")..];
    assert!(q4.contains("4．4G用户升级5G套餐须更换号码。（×）"), "the source line is shown");
    assert!(q4.contains("推断：答案取自题干中的括号"));
    // The digit stem `2. 5G…` is its own question, not merged into question 1.
    assert!(html.contains(r#"id="q-4""#) && html.contains("5G套餐用户可以办理副卡。"));
    // Correct question 1 (line 2) to 错误, leave question 3 (line 6) out.
    let res = confirm(&b, &html, &[("answer_2", "错误"), ("leave_6", "1")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
    assert_eq!(count_questions(&app), 3);
    let bank_row =
        examhall::bank::model::Bank::find_by_name(&mut app.conn(), "营业厅月考题库").unwrap().unwrap();
    let questions = examhall::bank::model::Bank::questions(&mut app.conn(), bank_row.id).unwrap();
    let first = questions.iter().find(|q| q.stem.starts_with("客户办理补卡")).expect("question 1");
    assert_eq!(first.answer, examhall::bank::question::Answer::TrueFalse(false));
    assert!(!questions.iter().any(|q| q.stem.starts_with("以下属于实名登记")), "left out");
}

#[tokio::test]
async fn old_binary_word_is_refused_with_how_to_save_as_docx() {
    let app = TestApp::spawn().await;
    let (b, bank) = trainer_with_bank(&app).await;
    let res = b
        .upload(&format!("{bank}/import"), "题库.doc", vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        .await;
    let next = location(&res);
    let page = b.get_text(&next).await;
    assert!(page.contains("另存为"), "{page}");
    assert_eq!(count_questions(&app), 0);
}

#[tokio::test]
async fn pictures_in_a_word_file_are_kept_with_their_question_and_served_as_images() {
    let app = TestApp::spawn().await;
    let (b, bank) = trainer_with_bank(&app).await;
    let docx =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/question_bank/samples/31-word-images.docx"))
            .unwrap();
    let res = b.upload(&format!("{bank}/import"), "图片题.docx", docx).await;
    let html = crate::helpers::unescape(res.text().await.unwrap());
    assert!(html.contains("图片 1 张"), "the preview counts each question's pictures");
    let res = confirm(&b, &html, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let ids: Vec<(i32, i32)> = {
        use diesel::prelude::*;
        use examhall::schema::question_images::dsl::*;
        let mut conn = app.conn();
        question_images.select((question_id, position)).order(question_id).load(&mut *conn).unwrap()
    };
    assert_eq!(ids.len(), 2, "two questions with one picture each");
    let res = b.get(&format!("/bank/questions/{}/images/0", ids[0].0)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert!(res.bytes().await.unwrap().starts_with(b"\x89PNG"));
    assert_eq!(
        b.get(&format!("/bank/questions/{}/images/5", ids[0].0)).await.status(),
        StatusCode::NOT_FOUND
    );
    // The Word export carries the pictures: read back, the same two questions have one each.
    let exported = b.get(&format!("{bank}/export.docx")).await.bytes().await.unwrap();
    let again = examhall::bank::formats::docx::parse(&exported).unwrap();
    assert_eq!(again.errors, vec![]);
    let pictured: Vec<usize> = again.items.iter().map(|i| i.images.len()).collect();
    assert_eq!(pictured, vec![1, 1, 0]);
    assert!(again.images.iter().all(|i| i.bytes.starts_with(b"\x89PNG")));
}
