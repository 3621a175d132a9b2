//! The database schema, shared by every feature (one `schema.rs`, as diesel expects).

diesel::table! {
    org_units (id) {
        id -> Integer,
        parent_id -> Nullable<Integer>,
        kind -> Text,
        name -> Text,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Integer,
        username -> Text,
        staff_no -> Nullable<Text>,
        name -> Text,
        phone -> Nullable<Text>,
        hall_id -> Nullable<Integer>,
        active -> Bool,
        password_hash -> Text,
        must_change_password -> Bool,
        session_epoch -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    role_assignments (id) {
        id -> Integer,
        user_id -> Integer,
        role -> Text,
        org_unit_id -> Integer,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Integer,
        at -> Timestamp,
        actor_id -> Nullable<Integer>,
        action -> Text,
        detail -> Text,
        ip -> Nullable<Text>,
    }
}

diesel::table! {
    uploads (id) {
        id -> Integer,
        kind -> Text,
        filename -> Text,
        content -> Binary,
        uploaded_by -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    banks (id) {
        id -> Integer,
        name -> Text,
        description -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    questions (id) {
        id -> Integer,
        bank_id -> Integer,
        current_version -> Integer,
        status -> Text,
        dedup_key -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    question_versions (id) {
        id -> Integer,
        question_id -> Integer,
        version -> Integer,
        kind -> Text,
        stem -> Text,
        body -> Text,
        points -> Integer,
        difficulty -> Integer,
        channel -> Text,
        category -> Text,
        knowledge_points -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(users -> org_units (hall_id));
diesel::joinable!(questions -> banks (bank_id));
diesel::joinable!(question_versions -> questions (question_id));
diesel::joinable!(role_assignments -> users (user_id));
diesel::joinable!(role_assignments -> org_units (org_unit_id));
diesel::joinable!(audit_log -> users (actor_id));

diesel::allow_tables_to_appear_in_same_query!(
    org_units,
    users,
    role_assignments,
    audit_log,
    uploads,
    banks,
    questions,
    question_versions,
);
