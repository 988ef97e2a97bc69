//! `goalpost export`: the whole database as a data set, written one entry
//! at a time.

use std::io::Write;

use super::{Ctx, with_output};
use crate::cli::ExportArgs;
use crate::dataset;
use crate::error::Result;

pub fn run(ctx: &Ctx, a: ExportArgs, out: &mut dyn Write) -> Result<()> {
    ctx.open()?.read(|db| {
        let (indicators, targets, observations) = db.kinds_present()?;
        with_output(a.output.as_deref(), out, |out| {
            let mut w = dataset::Writer::start(out, indicators, targets, observations)?;
            db.each_indicator(|i| w.indicator(&i))?;
            db.each_target_by_id(|t| w.target(&t))?;
            db.each_observation(None, |o| w.observation(&o))?;
            // the method profiles the database holds, after the data
            let profiles: Vec<crate::engine::Profile> = super::method::all(db)?
                .into_iter()
                .filter(|m| !m.is_builtin())
                .map(|m| m.profile().clone())
                .collect();
            out.write_all(dataset::methods_text(&profiles)?.as_bytes())
                .map_err(|source| crate::error::Error::Io {
                    path: "<export>".into(),
                    source,
                })
        })
    })
}
