-- +goose Up
-- The generation moves only when what the knowledge base's model learns from changes: a
-- published article's title, body, language, questions or status (an article published,
-- unpublished, edited or deleted), a published article's passages rechunked, or the table
-- emptied. Saving a draft, or an importer recording an external id, retrains nothing.
DROP TRIGGER kb_articles_generation ON kb_articles;

-- +goose StatementBegin
CREATE FUNCTION kb_articles_bump_generation_now() RETURNS void LANGUAGE sql AS $$
    INSERT INTO kb_terms (term, df) VALUES ('#generation', nextval('kb_generation_seq'))
    ON CONFLICT (term) DO UPDATE SET df = EXCLUDED.df;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION kb_articles_inserted_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows WHERE status = 'published') THEN
        PERFORM kb_articles_bump_generation_now();
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION kb_articles_updated_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
               WHERE (o.status = 'published' OR n.status = 'published')
                 AND (o.status, o.title, o.body, o.language, o.questions)
                     IS DISTINCT FROM (n.status, n.title, n.body, n.language, n.questions)) THEN
        PERFORM kb_articles_bump_generation_now();
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION kb_articles_deleted_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM old_rows WHERE status = 'published') THEN
        PERFORM kb_articles_bump_generation_now();
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION kb_chunks_changed_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM changed_rows c JOIN kb_articles a ON a.id = c.article_id
               WHERE a.status = 'published') THEN
        PERFORM kb_articles_bump_generation_now();
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER kb_articles_generation_insert AFTER INSERT ON kb_articles
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kb_articles_inserted_generation();
CREATE TRIGGER kb_articles_generation_update AFTER UPDATE ON kb_articles
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kb_articles_updated_generation();
CREATE TRIGGER kb_articles_generation_delete AFTER DELETE ON kb_articles
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kb_articles_deleted_generation();
CREATE TRIGGER kb_articles_generation_truncate AFTER TRUNCATE ON kb_articles
    FOR EACH STATEMENT EXECUTE FUNCTION kb_articles_bump_generation();
CREATE TRIGGER kb_chunks_generation_insert AFTER INSERT ON kb_chunks
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kb_chunks_changed_generation();
CREATE TRIGGER kb_chunks_generation_delete AFTER DELETE ON kb_chunks
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kb_chunks_changed_generation();

-- +goose Down
DROP TRIGGER kb_chunks_generation_delete ON kb_chunks;
DROP TRIGGER kb_chunks_generation_insert ON kb_chunks;
DROP TRIGGER kb_articles_generation_truncate ON kb_articles;
DROP TRIGGER kb_articles_generation_delete ON kb_articles;
DROP TRIGGER kb_articles_generation_update ON kb_articles;
DROP TRIGGER kb_articles_generation_insert ON kb_articles;
DROP FUNCTION kb_chunks_changed_generation();
DROP FUNCTION kb_articles_deleted_generation();
DROP FUNCTION kb_articles_updated_generation();
DROP FUNCTION kb_articles_inserted_generation();
DROP FUNCTION kb_articles_bump_generation_now();
CREATE TRIGGER kb_articles_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kb_articles
    FOR EACH STATEMENT EXECUTE FUNCTION kb_articles_bump_generation();
