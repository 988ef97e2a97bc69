//! `goalpost method add|list|show|remove`: method profiles, an office's own
//! variant of a method declared as data (methodology.md §6); and how a
//! `--method` name becomes a method.

use std::io::Write;

use super::{Ctx, emit_as, write_out};
use crate::cli::{MethodAdd, MethodCommand, MethodListArgs, MethodShow};
use crate::engine::{Method, Profile};
use crate::error::{Error, Result, nearest};
use crate::render::lists;
use crate::report::MethodList;
use crate::store::Db;

pub fn run(ctx: &Ctx, c: MethodCommand, out: &mut dyn Write) -> Result<()> {
    match c {
        MethodCommand::Add(a) => add(ctx, a, out),
        MethodCommand::List(a) => list(ctx, a, out),
        MethodCommand::Show(a) => show(ctx, a, out),
        MethodCommand::Remove(a) => remove(ctx, a, out),
    }
}

fn add(ctx: &Ctx, a: MethodAdd, out: &mut dyn Write) -> Result<()> {
    let (text, name) = super::input::read_text(&a.file)?;
    let profile = Profile::from_toml(&text, &name).map_err(Error::invalid)?;
    check_new_name(&profile.name)?;
    let mut store = ctx.open_for_write()?;
    store.write(|db| db.add_method(&profile.name, &text))?;
    write_out(
        out,
        &format!(
            "added method {} ({}); use it with --method {}\n",
            profile.name,
            profile.measure.name(),
            profile.name
        ),
    )
}

/// A profile may not take a built-in method's name.
pub fn check_new_name(name: &str) -> Result<()> {
    if Method::from_name(name).is_some() {
        return Err(Error::invalid(format!(
            "'{name}' is a built-in method: give the profile another name (start from it with 'goalpost method show {name}')"
        )));
    }
    Ok(())
}

fn list(ctx: &Ctx, a: MethodListArgs, out: &mut dyn Write) -> Result<()> {
    let methods = ctx.open()?.read(all)?;
    emit_as(
        &lists::methods(
            &MethodList::build(&methods),
            super::format(&a.format)?,
            &ctx.look(a.format.output.as_deref()),
        )?,
        &a.format,
        out,
    )
}

fn show(ctx: &Ctx, a: MethodShow, out: &mut dyn Write) -> Result<()> {
    if let Some(m) = Method::from_name(&a.name) {
        return write_out(out, m.builtin_text().unwrap_or_default());
    }
    let text = ctx.open()?.read(|db| {
        let stored = db.method(&a.name)?;
        stored.ok_or_else(|| not_found(db, &a.name))
    })?;
    write_out(out, &text)
}

fn remove(ctx: &Ctx, a: MethodShow, out: &mut dyn Write) -> Result<()> {
    if Method::from_name(&a.name).is_some() {
        return Err(Error::invalid(format!(
            "'{}' is a built-in method and cannot be removed",
            a.name
        )));
    }
    ctx.open()?.write(|db| {
        if db.remove_method(&a.name)? {
            Ok(())
        } else {
            Err(not_found(db, &a.name))
        }
    })?;
    write_out(out, &format!("removed method {}\n", a.name))
}

/// Every method: the built-in ones, then the stored profiles by name.
pub fn all(db: &Db) -> Result<Vec<Method>> {
    let mut methods = Method::BUILTIN.to_vec();
    for (name, text) in db.methods()? {
        methods.push(Method::custom(stored(&name, &text)?));
    }
    Ok(methods)
}

/// A stored profile, read back.
fn stored(name: &str, text: &str) -> Result<Profile> {
    Profile::from_toml(text, &format!("the stored method '{name}'"))
        .map_err(|e| Error::invalid(format!("{e} (was the database edited by hand?)")))
}

fn not_found(db: &Db, name: &str) -> Error {
    let mut names: Vec<String> = Method::BUILTIN
        .iter()
        .map(|m| m.name().to_string())
        .collect();
    if let Ok(stored) = db.methods() {
        names.extend(stored.into_iter().map(|(n, _)| n));
    }
    match nearest(name, names.iter().map(|s| s.as_str())) {
        Some(s) => Error::NotFound {
            kind: "method",
            id: name.to_string(),
            suggestion: Some(s),
        },
        None => Error::invalid(format!(
            "no method '{name}'; the methods are {} (goalpost method list)",
            names.join(", ")
        )),
    }
}

/// The methods a `--method` value names: one name, several separated by
/// commas, or `all` (every built-in method and profile).
pub fn resolve(db: &Db, spec: &str) -> Result<Vec<Method>> {
    if spec.trim() == "all" {
        return all(db);
    }
    let mut out: Vec<Method> = Vec::new();
    for name in spec.split(',').map(str::trim) {
        if name.is_empty() {
            return Err(Error::invalid(format!(
                "--method '{spec}': an empty method name"
            )));
        }
        let m = match Method::from_name(name) {
            Some(m) => m,
            None => match db.method(name)? {
                Some(text) => Method::custom(stored(name, &text)?),
                None => return Err(not_found(db, name)),
            },
        };
        if !out.contains(&m) {
            out.push(m);
        }
    }
    Ok(out)
}

/// The one method a view takes.
pub fn resolve_one(db: &Db, spec: &str) -> Result<Method> {
    let mut all = resolve(db, spec)?;
    if all.len() != 1 {
        return Err(Error::invalid(format!(
            "--method '{spec}': this view takes one method (report compares several)"
        )));
    }
    Ok(all.remove(0))
}

/// `--window N` is for methods that have an assessment window: a usage
/// error naming them otherwise.
pub fn check_window(db: &Db, method: Method, window: Option<u32>) -> Result<Option<u32>> {
    let Some(n) = window else {
        return Ok(None);
    };
    if method.profile().window {
        return Ok(Some(n));
    }
    let with: Vec<String> = all(db)?
        .into_iter()
        .filter(|m| m.profile().window)
        .map(|m| m.name().to_string())
        .collect();
    Err(Error::usage(format!(
        "--window {n}: the method {} has no assessment window; the methods with one are {}",
        method.name(),
        with.join(", ")
    )))
}
