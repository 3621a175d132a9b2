//! The month's below-average list: computed live from the month's monthly
//! exam while the month is open, read from its snapshot once it is closed.
//! Split by what it does: the figures (`sheet`), the page's list (`list`),
//! one clerk's standing (`explain`), their months (`history`), the charts and
//! the exports.

mod charts;
mod explain;
mod export;
mod history;
mod list;
mod sheet;

pub use charts::*;
pub use explain::*;
pub use export::*;
pub use history::*;
pub use list::*;
pub use sheet::*;
