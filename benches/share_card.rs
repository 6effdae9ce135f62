//! How long one share card takes to draw and encode (a measurement, not a test):
//! `cargo bench --bench share_card`.

use std::time::Instant;

use bantin::plan::share::{Bar, Card, Figure};
use bantin::render::card::render_png;
use rust_decimal::Decimal;

fn main() {
    let data = Card {
        kicker: "Dự án 8".into(),
        title:
            "Thực hiện bình đẳng giới và giải quyết những vấn đề cấp thiết đối với phụ nữ và trẻ em"
                .into(),
        figure: Some(Figure {
            label: "Tỷ lệ giải ngân năm 2024".into(),
            value: "52,01%".into(),
        }),
        bars: (2021..2025)
            .map(|y| Bar::new(format!("Năm {y}"), Decimal::new(3638 + y as i64, 2), 2))
            .collect(),
        footer: "Tỉnh Kon Tum · số liệu đến 30/09/2024".into(),
    };
    let article = Card {
        kicker: "Tin tức".into(),
        title: "Hội nghị sơ kết 6 tháng đầu năm thực hiện Chương trình mục tiêu quốc gia phát triển kinh tế – xã hội vùng đồng bào dân tộc thiểu số".into(),
        figure: None,
        bars: Vec::new(),
        footer: "18/07/2024".into(),
    };
    let _ = render_png("Ban Dân tộc tỉnh Kon Tum", &data); // fonts loaded once
    for (name, card) in [("data page", &data), ("article", &article)] {
        let n = 20;
        let t = Instant::now();
        let mut bytes = 0;
        for _ in 0..n {
            bytes = render_png("Ban Dân tộc tỉnh Kon Tum", card).unwrap().len();
        }
        let ms = t.elapsed().as_secs_f64() * 1000.0 / n as f64;
        println!("{name}: {ms:.1} ms per card, {bytes} bytes");
    }
}
