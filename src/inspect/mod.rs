//! 营业厅巡检: the 30-item standard, daily self-checks, the city's spot
//! checks, cross inspection by other counties' team leaders, the defect
//! library and correction orders (纠错单).

pub mod access;
pub mod copy;
pub mod demo;
mod demo_notes;
pub mod library;
pub mod model;
pub mod orders;
pub mod photo;
pub mod report;
pub mod rounds;
pub mod routes;
pub mod rules;
pub mod standard;
pub mod svg;
pub mod view;
