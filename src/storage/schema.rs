// Mirrors migrations/sqlite and migrations/postgresql; kept by hand.
diesel::table! {
    consultations (id) {
        id -> Text,
        slug -> Text,
        title -> Text,
        current_version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        data_version -> BigInt,
        schedule_set -> Bool,
        opens_at -> Nullable<Timestamp>,
        closes_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    consultation_versions (consultation_id, version) {
        consultation_id -> Text,
        version -> Integer,
        definition -> Text,
        content_hash -> Text,
        loaded_at -> Timestamp,
    }
}

diesel::table! {
    responses (id) {
        id -> Text,
        consultation_id -> Text,
        submission_id -> Nullable<Text>,
        submission_hash -> Text,
        receipt -> Text,
        current_version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    response_versions (id) {
        id -> Text,
        response_id -> Text,
        version -> Integer,
        definition_version -> Integer,
        channel -> Text,
        answers_hash -> Text,
        submitted_at -> Timestamp,
        /// The API's JSON object.
        answers -> Text,
    }
}

diesel::table! {
    drafts (id) {
        id -> Text,
        consultation_id -> Text,
        token_hash -> Text,
        answers -> Text,
        response_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    current_answers (response_id, question_id, position) {
        consultation_id -> Text,
        response_id -> Text,
        submitted_at -> Timestamp,
        definition_version -> Integer,
        question_id -> Text,
        position -> Integer,
        /// An option code or a text.
        value -> Text,
    }
}

diesel::joinable!(consultation_versions -> consultations (consultation_id));
diesel::joinable!(responses -> consultations (consultation_id));
diesel::joinable!(response_versions -> responses (response_id));
diesel::joinable!(drafts -> consultations (consultation_id));
diesel::joinable!(drafts -> responses (response_id));

diesel::allow_tables_to_appear_in_same_query!(
    consultations,
    consultation_versions,
    responses,
    response_versions,
    drafts,
);

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        role -> Text,
        password_hash -> Text,
        disabled -> Bool,
        failed_sign_ins -> Integer,
        locked_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        user_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        user_id -> Nullable<Text>,
        action -> Text,
        detail -> Text,
        at -> Timestamp,
    }
}

diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(users, api_tokens, sessions, audit_log);

diesel::table! {
    invitations (id) {
        id -> Text,
        consultation_id -> Text,
        email -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        draft_id -> Nullable<Text>,
    }
}

diesel::table! {
    current_responses (consultation_id, response_id) {
        consultation_id -> Text,
        response_id -> Text,
        submitted_at -> Timestamp,
        definition_version -> Integer,
        closed -> Text,
    }
}

diesel::table! {
    current_documents (response_id) {
        response_id -> Text,
        consultation_id -> Text,
        submitted_at -> Timestamp,
        answers -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(responses, current_responses);
diesel::allow_tables_to_appear_in_same_query!(responses, current_documents);

diesel::table! {
    themes (consultation_id, question_id, number) {
        consultation_id -> Text,
        question_id -> Text,
        number -> Integer,
        label -> Text,
        description -> Text,
        created_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        merged_into -> Nullable<Integer>,
    }
}

diesel::table! {
    codings (id) {
        id -> Text,
        consultation_id -> Text,
        response_id -> Text,
        question_id -> Text,
        coded_by -> Nullable<Text>,
        coded_at -> Timestamp,
        reason -> Text,
        current -> Bool,
        ended_at -> Nullable<Timestamp>,
        ended_because -> Nullable<Text>,
    }
}

diesel::table! {
    coding_themes (coding_id, theme) {
        coding_id -> Text,
        theme -> Integer,
        assigned_by -> Text,
        confidence -> Nullable<Double>,
    }
}

diesel::table! {
    quotes (response_id, question_id, theme) {
        consultation_id -> Text,
        response_id -> Text,
        question_id -> Text,
        theme -> Integer,
        marked_by -> Nullable<Text>,
        marked_at -> Timestamp,
    }
}

diesel::joinable!(coding_themes -> codings (coding_id));
diesel::allow_tables_to_appear_in_same_query!(codings, coding_themes, users, current_documents);
diesel::allow_tables_to_appear_in_same_query!(quotes, current_documents);
