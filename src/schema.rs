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
        practice -> Bool,
    }
}

diesel::table! {
    remedials (id) {
        id -> Integer,
        knowledge_point -> Text,
        month -> Text,
        unit_id -> Nullable<Integer>,
        people -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    remedial_assignments (id) {
        id -> Integer,
        remedial_id -> Integer,
        assignment_id -> Integer,
    }
}

diesel::table! {
    practice_answers (id) {
        id -> Integer,
        user_id -> Integer,
        question_id -> Integer,
        version_id -> Integer,
        mode -> Text,
        correct -> Bool,
        answered_at -> Timestamp,
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
    question_sources (id) {
        id -> Integer,
        question_id -> Integer,
        article_id -> Integer,
        heading -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    question_flags (id) {
        id -> Integer,
        question_id -> Integer,
        article_id -> Integer,
        article_version -> Integer,
        flagged_at -> Timestamp,
        cleared_at -> Nullable<Timestamp>,
        cleared_by -> Nullable<Integer>,
        outcome -> Text,
        note -> Text,
    }
}

diesel::table! {
    question_images (id) {
        id -> Integer,
        question_id -> Integer,
        position -> Integer,
        name -> Text,
        mime -> Text,
        bytes -> Binary,
        created_at -> Timestamp,
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

diesel::table! {
    exams (id) {
        id -> Integer,
        month -> Text,
        title -> Text,
        kind -> Text,
        channels -> Text,
        opens_at -> Timestamp,
        closes_at -> Timestamp,
        time_limit_minutes -> Integer,
        pass_mark -> Integer,
        audience -> Text,
        paper_rule -> Text,
        seed -> BigInt,
        review -> Text,
        allowed_ips -> Text,
        stagger -> Text,
        grace_seconds -> Integer,
        status -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        source -> Text,
    }
}

diesel::table! {
    exam_people (id) {
        id -> Integer,
        exam_id -> Integer,
        user_id -> Integer,
        extra_minutes -> Integer,
        in_person -> Bool,
        note -> Text,
        flag_month -> Nullable<Text>,
    }
}

diesel::table! {
    sittings (id) {
        id -> Integer,
        exam_id -> Integer,
        room -> Text,
        code -> Text,
        starts_at -> Timestamp,
        status -> Text,
        opened_by -> Nullable<Integer>,
        opened_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    attempts (id) {
        id -> Integer,
        exam_id -> Integer,
        user_id -> Integer,
        hall_id -> Nullable<Integer>,
        status -> Text,
        started_at -> Timestamp,
        deadline_at -> Timestamp,
        submitted_at -> Nullable<Timestamp>,
        submitted_by -> Nullable<Text>,
        earned -> Nullable<Integer>,
        possible -> Integer,
        score -> Nullable<Integer>,
        marking_pending -> Bool,
        device -> Text,
        sitting_id -> Nullable<Integer>,
        round -> Integer,
    }
}

diesel::table! {
    attempt_items (id) {
        id -> Integer,
        attempt_id -> Integer,
        position -> Integer,
        question_id -> Integer,
        version_id -> Integer,
        points -> Integer,
        option_order -> Text,
        response -> Nullable<Text>,
        flagged -> Bool,
        saved_at -> Nullable<Timestamp>,
        earned -> Nullable<Integer>,
        marked_by -> Nullable<Integer>,
        marked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    review_cases (id) {
        id -> Integer,
        month -> Text,
        user_id -> Integer,
        status -> Text,
        talk_note -> Text,
        talked_by -> Nullable<Integer>,
        talked_at -> Nullable<Timestamp>,
        exempt_reason -> Text,
        updated_by -> Nullable<Integer>,
        updated_at -> Timestamp,
        retest_attempt_id -> Nullable<Integer>,
        retest_score -> Nullable<Integer>,
    }
}

diesel::table! {
    settings (key) {
        key -> Text,
        value -> Text,
        updated_by -> Nullable<Integer>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    month_flags (close_id, user_id) {
        close_id -> Integer,
        month -> Text,
        user_id -> Integer,
        reason -> Text,
    }
}

diesel::table! {
    month_closes (id) {
        id -> Integer,
        month -> Text,
        closed_at -> Timestamp,
        closed_by -> Nullable<Integer>,
        snapshot -> Text,
        reopened_at -> Nullable<Timestamp>,
        reopened_by -> Nullable<Integer>,
        reopen_reason -> Text,
        kind -> Text,
    }
}

diesel::table! {
    articles (id) {
        id -> Integer,
        category -> Text,
        tags -> Text,
        effective_date -> Date,
        audience -> Text,
        current_version -> Integer,
        status -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    article_versions (id) {
        id -> Integer,
        article_id -> Integer,
        version -> Integer,
        title -> Text,
        body -> Text,
        chars -> Integer,
        material -> Bool,
        change_note -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    article_files (id) {
        id -> Integer,
        article_id -> Integer,
        filename -> Text,
        content_type -> Text,
        content -> Binary,
        uploaded_by -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    assignments (id) {
        id -> Integer,
        article_id -> Integer,
        version_id -> Integer,
        audience -> Text,
        due_date -> Date,
        scope_unit -> Nullable<Integer>,
        active -> Bool,
        assigned_by -> Nullable<Integer>,
        assigned_at -> Timestamp,
    }
}

diesel::table! {
    readings (id) {
        id -> Integer,
        user_id -> Integer,
        version_id -> Integer,
        first_opened_at -> Timestamp,
        last_beat_at -> Timestamp,
        active_seconds -> Integer,
        reached_end -> Bool,
        confirmed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    reading_exemptions (id) {
        id -> Integer,
        assignment_id -> Integer,
        user_id -> Integer,
        reason -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    rubrics (id) {
        id -> Integer,
        name -> Text,
        current_version -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    rubric_versions (id) {
        id -> Integer,
        rubric_id -> Integer,
        version -> Integer,
        items -> Text,
        note -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    scenarios (id) {
        id -> Integer,
        title -> Text,
        channel -> Text,
        business -> Text,
        question -> Text,
        key_points -> Text,
        article_ids -> Text,
        active -> Bool,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    phone_calls (id) {
        id -> Integer,
        called_at -> Timestamp,
        month -> Text,
        hall_id -> Integer,
        clerk_id -> Nullable<Integer>,
        tester_id -> Integer,
        scenario_id -> Nullable<Integer>,
        rubric_version_id -> Integer,
        scores -> Text,
        total -> Integer,
        critical_failed -> Bool,
        rings -> Integer,
        duration_seconds -> Integer,
        notes -> Text,
        recording_ref -> Text,
        second_of -> Nullable<Integer>,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    study_sessions (id) {
        id -> Integer,
        hall_id -> Integer,
        held_on -> Date,
        month -> Text,
        starts -> Text,
        ends -> Text,
        minutes -> Integer,
        kind -> Text,
        topic -> Text,
        article_ids -> Text,
        notes -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    study_attendees (session_id, user_id) {
        session_id -> Integer,
        user_id -> Integer,
    }
}

diesel::table! {
    drill_types (id) {
        id -> Integer,
        name -> Text,
        target_seconds -> Integer,
        position -> Integer,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    drills (id) {
        id -> Integer,
        drilled_on -> Date,
        month -> Text,
        hall_id -> Integer,
        clerk_id -> Integer,
        drill_type_id -> Integer,
        seconds -> Integer,
        errors -> Integer,
        notes -> Text,
        recorded_by -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    key_reveals (id) {
        id -> Integer,
        user_id -> Integer,
        exam_id -> Integer,
        question_id -> Integer,
        version_id -> Integer,
        revealed_at -> Timestamp,
    }
}

diesel::joinable!(users -> org_units (hall_id));
diesel::joinable!(questions -> banks (bank_id));
diesel::joinable!(question_versions -> questions (question_id));
diesel::joinable!(question_images -> questions (question_id));
diesel::joinable!(question_sources -> questions (question_id));
diesel::joinable!(question_sources -> articles (article_id));
diesel::joinable!(question_flags -> questions (question_id));
diesel::joinable!(practice_answers -> questions (question_id));
diesel::joinable!(practice_answers -> users (user_id));
diesel::joinable!(remedial_assignments -> remedials (remedial_id));
diesel::joinable!(remedial_assignments -> assignments (assignment_id));
diesel::joinable!(question_flags -> articles (article_id));
diesel::joinable!(role_assignments -> users (user_id));
diesel::joinable!(role_assignments -> org_units (org_unit_id));
diesel::joinable!(audit_log -> users (actor_id));
diesel::joinable!(exam_people -> exams (exam_id));
diesel::joinable!(sittings -> exams (exam_id));
diesel::joinable!(attempts -> exams (exam_id));
diesel::joinable!(attempts -> users (user_id));
diesel::joinable!(attempt_items -> attempts (attempt_id));
diesel::joinable!(attempt_items -> question_versions (version_id));
diesel::joinable!(month_flags -> month_closes (close_id));
diesel::joinable!(rubric_versions -> rubrics (rubric_id));
diesel::joinable!(phone_calls -> rubric_versions (rubric_version_id));
diesel::joinable!(phone_calls -> scenarios (scenario_id));
diesel::joinable!(phone_calls -> org_units (hall_id));
diesel::joinable!(article_versions -> articles (article_id));
diesel::joinable!(article_files -> articles (article_id));
diesel::joinable!(assignments -> articles (article_id));
diesel::joinable!(assignments -> article_versions (version_id));
diesel::joinable!(readings -> article_versions (version_id));
diesel::joinable!(readings -> users (user_id));
diesel::joinable!(reading_exemptions -> assignments (assignment_id));
diesel::joinable!(study_sessions -> org_units (hall_id));
diesel::joinable!(study_attendees -> study_sessions (session_id));
diesel::joinable!(drills -> drill_types (drill_type_id));

diesel::allow_tables_to_appear_in_same_query!(
    org_units,
    satisfaction_replies,
    hall_satisfaction,
    evaluation_schemes,
    evaluation_ratings,
    evaluation_appeals,
    review360_rounds,
    review360_raters,
    review360_answers,
    users,
    role_assignments,
    audit_log,
    uploads,
    banks,
    questions,
    question_images,
    question_sources,
    question_flags,
    practice_answers,
    remedials,
    remedial_assignments,
    question_versions,
    exams,
    exam_people,
    sittings,
    attempts,
    attempt_items,
    review_cases,
    month_closes,
    month_flags,
    settings,
    articles,
    article_versions,
    article_files,
    assignments,
    readings,
    reading_exemptions,
    rubrics,
    rubric_versions,
    scenarios,
    phone_calls,
    study_sessions,
    study_attendees,
    drill_types,
    drills,
    key_reveals,
    revoked_sessions,
    inspection_standards,
    inspection_rounds,
    inspection_assignments,
    inspections,
    inspection_results,
    defects,
    correction_orders,
    order_events,
    inspection_photos,
);

diesel::table! {
    revoked_sessions (id) {
        id -> Integer,
        user_id -> Integer,
        session_id -> Text,
        expires_at -> Timestamp,
    }
}

diesel::joinable!(revoked_sessions -> users (user_id));

diesel::table! {
    inspection_standards (id) {
        id -> Integer,
        version -> Integer,
        body -> Text,
        note -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    inspection_rounds (id) {
        id -> Integer,
        kind -> Text,
        month -> Text,
        status -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    inspection_assignments (id) {
        id -> Integer,
        round_id -> Integer,
        hall_id -> Integer,
        inspector_id -> Nullable<Integer>,
    }
}

diesel::table! {
    inspections (id) {
        id -> Integer,
        kind -> Text,
        hall_id -> Integer,
        inspector_id -> Integer,
        standard_id -> Integer,
        assignment_id -> Nullable<Integer>,
        day -> Date,
        month -> Text,
        queue_minutes -> Nullable<Integer>,
        queue_waiting -> Nullable<Integer>,
        score -> Nullable<Integer>,
        zero_hits -> Integer,
        started_at -> Timestamp,
        submitted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    inspection_results (id) {
        id -> Integer,
        inspection_id -> Integer,
        item_code -> Text,
        outcome -> Text,
        note -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    defects (id) {
        id -> Integer,
        hall_id -> Integer,
        inspection_id -> Integer,
        item_code -> Text,
        item_name -> Text,
        section -> Text,
        note -> Text,
        opened_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        order_id -> Nullable<Integer>,
    }
}

diesel::table! {
    correction_orders (id) {
        id -> Integer,
        inspection_id -> Integer,
        hall_id -> Integer,
        manager_id -> Nullable<Integer>,
        due_date -> Date,
        status -> Text,
        issued_by -> Integer,
        issued_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    order_events (id) {
        id -> Integer,
        order_id -> Integer,
        action -> Text,
        actor_id -> Integer,
        note -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    inspection_photos (id) {
        id -> Integer,
        inspection_id -> Nullable<Integer>,
        item_code -> Text,
        event_id -> Nullable<Integer>,
        mime -> Text,
        bytes -> Binary,
        thumb -> Binary,
        uploaded_by -> Integer,
        created_at -> Timestamp,
    }
}

diesel::joinable!(inspection_assignments -> inspection_rounds (round_id));
diesel::joinable!(inspections -> org_units (hall_id));
diesel::joinable!(inspections -> inspection_standards (standard_id));
diesel::joinable!(inspection_results -> inspections (inspection_id));
diesel::joinable!(defects -> inspections (inspection_id));
diesel::joinable!(correction_orders -> inspections (inspection_id));
diesel::joinable!(order_events -> correction_orders (order_id));
diesel::joinable!(inspection_photos -> inspections (inspection_id));

diesel::table! {
    satisfaction_replies (id) {
        id -> Integer,
        month -> Text,
        replied_at -> Timestamp,
        hall_id -> Integer,
        clerk_id -> Nullable<Integer>,
        rating -> Text,
        comment -> Text,
        ref_no -> Text,
        imported_by -> Nullable<Integer>,
        imported_at -> Timestamp,
    }
}

diesel::table! {
    hall_satisfaction (id) {
        id -> Integer,
        month -> Text,
        hall_id -> Integer,
        rate -> Integer,
        surveyed -> Nullable<Integer>,
        imported_by -> Nullable<Integer>,
        imported_at -> Timestamp,
    }
}

diesel::table! {
    evaluation_schemes (id) {
        id -> Integer,
        role -> Text,
        version -> Integer,
        body -> Text,
        note -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    evaluation_ratings (id) {
        id -> Integer,
        month -> Text,
        user_id -> Integer,
        component -> Text,
        points -> Integer,
        reason -> Text,
        rated_by -> Nullable<Integer>,
        rated_at -> Timestamp,
    }
}

diesel::table! {
    evaluation_appeals (id) {
        id -> Integer,
        month -> Text,
        user_id -> Integer,
        component -> Text,
        reason -> Text,
        status -> Text,
        filed_at -> Timestamp,
        points_before -> Nullable<Integer>,
        points_after -> Nullable<Integer>,
        answer -> Text,
        answered_by -> Nullable<Integer>,
        answered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    review360_rounds (id) {
        id -> Integer,
        title -> Text,
        month -> Text,
        questionnaire_version -> Integer,
        questionnaire -> Text,
        status -> Text,
        created_by -> Nullable<Integer>,
        created_at -> Timestamp,
        opened_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    review360_raters (id) {
        id -> Integer,
        round_id -> Integer,
        leader_id -> Integer,
        rater_id -> Integer,
        perspective -> Text,
        done -> Bool,
    }
}

diesel::table! {
    review360_answers (key) {
        key -> Text,
        round_id -> Integer,
        leader_id -> Integer,
        perspective -> Text,
        scores -> Text,
        comment -> Text,
    }
}

diesel::joinable!(satisfaction_replies -> org_units (hall_id));
diesel::joinable!(review360_raters -> review360_rounds (round_id));
diesel::joinable!(review360_answers -> review360_rounds (round_id));
