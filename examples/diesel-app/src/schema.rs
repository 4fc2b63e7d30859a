// The schema after the last migration (as `diesel print-schema` would write it).
pub mod sql_types {
    #[derive(diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "post_state"))]
    pub struct PostState;
}

diesel::table! {
    authors (id) {
        id -> Int8,
        name -> Text,
        email -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::PostState;

    posts (id) {
        id -> Int8,
        author_id -> Int8,
        title -> Text,
        body -> Text,
        state -> PostState,
        first_published_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(posts -> authors (author_id));
diesel::allow_tables_to_appear_in_same_query!(authors, posts);
