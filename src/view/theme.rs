//! Styles, with a colourless variant for NO_COLOR that keeps selection and
//! highlights visible through reverse video, bold and underline.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub const COLOR: Theme = Theme { color: true };
    pub const PLAIN: Theme = Theme { color: false };

    /// Colour unless the NO_COLOR convention (https://no-color.org) asks otherwise.
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { color: !no_color }
    }

    fn pick(self, colored: Style, plain: Style) -> Style {
        if self.color { colored } else { plain }
    }

    pub fn base(self) -> Style {
        Style::default()
    }

    pub fn dim(self) -> Style {
        self.pick(Style::new().fg(Color::DarkGray), Style::new())
    }

    pub fn heading(self) -> Style {
        self.pick(
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    pub fn strong(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// Characters that matched the query.
    pub fn matched(self) -> Style {
        self.pick(
            Style::new().fg(Color::LightYellow).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        )
    }

    pub fn selected_row(self) -> Style {
        self.pick(Style::new().bg(Color::Blue).fg(Color::White), Style::new().add_modifier(Modifier::REVERSED))
    }

    pub fn link(self) -> Style {
        self.pick(
            Style::new().fg(Color::Cyan).add_modifier(Modifier::UNDERLINED),
            Style::new().add_modifier(Modifier::UNDERLINED),
        )
    }

    pub fn link_selected(self) -> Style {
        self.pick(Style::new().bg(Color::Cyan).fg(Color::Black), Style::new().add_modifier(Modifier::REVERSED))
    }

    pub fn border(self, focused: bool) -> Style {
        match (focused, self.color) {
            (true, true) => Style::new().fg(Color::Cyan),
            (true, false) => Style::new().add_modifier(Modifier::BOLD),
            (false, _) => self.dim(),
        }
    }

    pub fn tab_active(self) -> Style {
        self.pick(
            Style::new().fg(Color::Black).bg(Color::Cyan).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        )
    }

    /// A string quoted exactly as software prints it.
    pub fn verbatim(self) -> Style {
        self.pick(Style::new().fg(Color::LightGreen), Style::new())
    }

    /// A name written for the catalogue rather than sent by any software.
    pub fn description(self) -> Style {
        Style::new().add_modifier(Modifier::ITALIC)
    }

    /// What a team's overlay added: its notes, the mark on its entries' rows.
    pub fn team(self) -> Style {
        self.pick(
            Style::new().fg(Color::LightMagenta).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    pub fn warning(self) -> Style {
        self.pick(Style::new().fg(Color::LightRed), Style::new().add_modifier(Modifier::ITALIC))
    }

    /// The code number's colour tells the class at a glance.
    pub fn code(self, code: u16) -> Style {
        let color = match code / 100 {
            1 => Color::Blue,
            2 => Color::Green,
            3 => Color::Cyan,
            4 => Color::Yellow,
            5 => Color::Red,
            _ => Color::Magenta,
        };
        self.pick(Style::new().fg(color).add_modifier(Modifier::BOLD), Style::new().add_modifier(Modifier::BOLD))
    }
}
