//! `goalpost init`: create the database.

use std::io::Write;

use super::{Ctx, write_out};
use crate::error::Result;

pub fn run(ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let store = ctx.open_for_write()?;
    write_out(
        out,
        &format!("database ready at {}\n", store.path().display()),
    )
}
