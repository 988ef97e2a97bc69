//! Where the output goes and what suits it there: the width to fit, colour,
//! Unicode or ASCII. Decided once per command from the flags and the
//! environment, as terminal programs do (`COLUMNS`, `NO_COLOR`,
//! `CLICOLOR_FORCE`, `TERM=dumb`); renderers only follow the [`Look`].

use std::io::IsTerminal;

use crate::cli::ColorWhen;
use crate::render::Look;

/// What the environment says, read once (and made up in tests).
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// `COLUMNS`.
    pub columns: Option<String>,
    /// `NO_COLOR`: set and not empty, no colour unless asked for.
    pub no_color: Option<String>,
    /// `CLICOLOR_FORCE`: set and not `0`, colour even into a pipe.
    pub clicolor_force: Option<String>,
    /// `CLICOLOR=0`: no colour.
    pub clicolor: Option<String>,
    pub term: Option<String>,
    /// The first of `LC_ALL`, `LC_CTYPE`, `LANG` that is set.
    pub locale: Option<String>,
    /// Whether standard output is a terminal.
    pub stdout_is_terminal: bool,
    /// The terminal's width, when standard output is one.
    pub terminal_width: Option<usize>,
}

impl Env {
    /// The environment of this process.
    pub fn current() -> Env {
        let var = |k: &str| std::env::var(k).ok();
        let stdout = std::io::stdout();
        let stdout_is_terminal = stdout.is_terminal();
        Env {
            columns: var("COLUMNS"),
            no_color: var("NO_COLOR"),
            clicolor_force: var("CLICOLOR_FORCE"),
            clicolor: var("CLICOLOR"),
            term: var("TERM"),
            locale: ["LC_ALL", "LC_CTYPE", "LANG"]
                .iter()
                .find_map(|k| var(k).filter(|v| !v.is_empty())),
            stdout_is_terminal,
            terminal_width: if stdout_is_terminal {
                terminal_size::terminal_size_of(&stdout).map(|(w, _)| usize::from(w.0))
            } else {
                None
            },
        }
    }

    fn dumb(&self) -> bool {
        self.term.as_deref() == Some("dumb")
    }

    /// Whether the terminal shows Unicode: not a dumb terminal, and a
    /// locale, if one is set, that is UTF-8.
    pub fn unicode(&self) -> bool {
        if self.dumb() {
            return false;
        }
        match &self.locale {
            Some(l) => {
                let l = l.to_ascii_lowercase();
                l.contains("utf-8") || l.contains("utf8")
            }
            None => true,
        }
    }
}

/// What the user asked for on the command line.
#[derive(Debug, Clone, Copy)]
pub struct Asked {
    pub color: ColorWhen,
    /// `--width N`; 0 is no limit.
    pub width: Option<usize>,
    pub ascii: bool,
}

/// The look of output going to standard output (`to_file` false) or to a
/// file given with `-o`.
///
/// Width: `--width N` (0: none), else for standard output `COLUMNS`, else
/// the terminal's width; a pipe or a file without `--width` gets the full
/// width. Colour: `--color always|never`; by default (`auto`) only on a
/// terminal, never with `NO_COLOR` set, `CLICOLOR=0` or `TERM=dumb`, and
/// also into a pipe with `CLICOLOR_FORCE` set (not `0`); never into a
/// file. ASCII: `--ascii`, `TERM=dumb` or a locale that is not UTF-8.
pub fn look(env: &Env, asked: Asked, to_file: bool) -> Look {
    let set = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.is_empty());
    let width = match asked.width {
        Some(0) => None,
        Some(n) => Some(n),
        None if to_file => None,
        None => env
            .columns
            .as_deref()
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|n| *n > 0)
            .or(env.terminal_width.filter(|n| *n > 0)),
    };
    let color = !to_file
        && match asked.color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                !set(&env.no_color)
                    && ((set(&env.clicolor_force) && env.clicolor_force.as_deref() != Some("0"))
                        || (env.stdout_is_terminal
                            && !env.dumb()
                            && env.clicolor.as_deref() != Some("0")))
            }
        };
    Look {
        width,
        color,
        ascii: asked.ascii || !env.unicode(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked() -> Asked {
        Asked {
            color: ColorWhen::Auto,
            width: None,
            ascii: false,
        }
    }

    fn terminal() -> Env {
        Env {
            term: Some("xterm-256color".into()),
            locale: Some("en_GB.UTF-8".into()),
            stdout_is_terminal: true,
            terminal_width: Some(100),
            ..Env::default()
        }
    }

    #[test]
    fn the_width_comes_from_the_flag_then_columns_then_the_terminal() {
        let env = terminal();
        assert_eq!(look(&env, asked(), false).width, Some(100));
        let columns = Env {
            columns: Some("80".into()),
            ..terminal()
        };
        assert_eq!(look(&columns, asked(), false).width, Some(80));
        let flag = Asked {
            width: Some(60),
            ..asked()
        };
        assert_eq!(look(&columns, flag, false).width, Some(60));
        let unlimited = Asked {
            width: Some(0),
            ..asked()
        };
        assert_eq!(look(&columns, unlimited, false).width, None);
    }

    #[test]
    fn a_pipe_or_a_file_is_not_cut() {
        assert_eq!(look(&Env::default(), asked(), false).width, None);
        // a file is not the terminal: only --width applies
        assert_eq!(look(&terminal(), asked(), true).width, None);
        let columns = Env {
            columns: Some("80".into()),
            ..Env::default()
        };
        assert_eq!(look(&columns, asked(), false).width, Some(80));
    }

    #[test]
    fn colour_on_a_terminal_only_unless_forced() {
        assert!(look(&terminal(), asked(), false).color);
        assert!(!look(&Env::default(), asked(), false).color);
        assert!(!look(&terminal(), asked(), true).color);
        let no_color = Env {
            no_color: Some("1".into()),
            ..terminal()
        };
        assert!(!look(&no_color, asked(), false).color);
        let forced = Env {
            clicolor_force: Some("1".into()),
            ..Env::default()
        };
        assert!(look(&forced, asked(), false).color);
        let zero = Env {
            clicolor_force: Some("0".into()),
            ..Env::default()
        };
        assert!(!look(&zero, asked(), false).color);
        let dumb = Env {
            term: Some("dumb".into()),
            ..terminal()
        };
        assert!(!look(&dumb, asked(), false).color);
        let always = Asked {
            color: ColorWhen::Always,
            ..asked()
        };
        assert!(look(&Env::default(), always, false).color);
        assert!(look(&no_color, always, false).color);
        assert!(
            !look(&Env::default(), always, true).color,
            "never in a file"
        );
        let never = Asked {
            color: ColorWhen::Never,
            ..asked()
        };
        assert!(!look(&terminal(), never, false).color);
    }

    #[test]
    fn ascii_when_asked_on_a_dumb_terminal_or_without_utf8() {
        assert!(!look(&terminal(), asked(), false).ascii);
        let flag = Asked {
            ascii: true,
            ..asked()
        };
        assert!(look(&terminal(), flag, false).ascii);
        let dumb = Env {
            term: Some("dumb".into()),
            ..terminal()
        };
        assert!(look(&dumb, asked(), false).ascii);
        let latin = Env {
            locale: Some("de_DE.ISO-8859-1".into()),
            ..terminal()
        };
        assert!(look(&latin, asked(), false).ascii);
    }
}
