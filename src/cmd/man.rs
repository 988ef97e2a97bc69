//! `goalpost man [--dir DIR]`: the manual page (clap_mangen), printed, or
//! one page per command written into a folder.

use std::io::Write;

use super::write_out;
use crate::cli::ManArgs;
use crate::error::{Error, Result};

pub fn run(a: ManArgs, out: &mut dyn Write) -> Result<()> {
    let command = crate::cli::whole_command();
    match a.dir {
        Some(dir) => {
            let fail = |source| Error::Io {
                path: dir.clone(),
                source,
            };
            std::fs::create_dir_all(&dir).map_err(fail)?;
            clap_mangen::generate_to(command, &dir).map_err(fail)?;
            write_out(
                out,
                &format!(
                    "wrote goalpost.1 and a page per command into {}\n",
                    dir.display()
                ),
            )
        }
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command)
                .render(&mut page)
                .map_err(|source| Error::Io {
                    path: "<stdout>".into(),
                    source,
                })?;
            out.write_all(&page).map_err(|source| Error::Io {
                path: "<stdout>".into(),
                source,
            })
        }
    }
}
