//! The data directory: notices an agency loaded after the release sit in `calendar/YYYY.json`.

use std::{
    fs,
    path::{Path, PathBuf},
};

use gongkai_law::{HolidayNotice, RuleViolation, WorkingCalendar};

use crate::failure::Failure;

fn calendar_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("calendar")
}

/// The embedded notices plus every notice loaded into the data directory (which win).
pub fn load_calendar(data_dir: &Path) -> Result<WorkingCalendar, Failure> {
    let mut calendar = WorkingCalendar::embedded();
    let dir = calendar_dir(data_dir);
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(calendar),
        Err(e) => {
            return Err(Failure::io(
                format!("无法读取日历目录 {}", dir.display()),
                e,
            ));
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    for path in paths {
        let text = fs::read_to_string(&path)
            .map_err(|e| Failure::io(format!("无法读取 {}", path.display()), e))?;
        let notice =
            HolidayNotice::from_json(&text).map_err(|v| v.within(&path.display().to_string()))?;
        calendar.insert_notice(notice);
    }
    Ok(calendar)
}

/// Keeps a checked notice in the data directory. Written to a temporary file and renamed, so
/// a crash never leaves half a notice behind.
pub fn store_notice(data_dir: &Path, notice: &HolidayNotice) -> Result<PathBuf, Failure> {
    if !notice.is_published() {
        return Err(RuleViolation::new(
            "days",
            format!("{}年通知没有任何日期：通知尚未发布时无需加载", notice.year),
            format!(
                "the {} notice lists no dates; load it once it is published",
                notice.year
            ),
        )
        .into());
    }
    let dir = calendar_dir(data_dir);
    fs::create_dir_all(&dir)
        .map_err(|e| Failure::io(format!("无法创建目录 {}", dir.display()), e))?;
    let target = dir.join(format!("{}.json", notice.year));
    let temporary = dir.join(format!(".{}.json.tmp", notice.year));
    fs::write(&temporary, notice.to_json())
        .map_err(|e| Failure::io(format!("无法写入 {}", temporary.display()), e))?;
    fs::rename(&temporary, &target)
        .map_err(|e| Failure::io(format!("无法保存 {}", target.display()), e))?;
    Ok(target)
}
