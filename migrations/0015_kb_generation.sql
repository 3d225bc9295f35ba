-- +goose Up
-- The knowledge base's generation: a number every write to kb_articles changes (one statement,
-- one new value from a sequence, which no TRUNCATE resets), kept as the kb_terms row '#generation'
-- so a search reads it with the term statistics it already fetches. Baton retrains its article
-- classifier and recalibrates its vector scores when it changes.
CREATE SEQUENCE kb_generation_seq;
INSERT INTO kb_terms (term, df) VALUES ('#generation', nextval('kb_generation_seq')) ON CONFLICT (term) DO NOTHING;

-- +goose StatementBegin
CREATE FUNCTION kb_articles_bump_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO kb_terms (term, df) VALUES ('#generation', nextval('kb_generation_seq'))
    ON CONFLICT (term) DO UPDATE SET df = EXCLUDED.df;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER kb_articles_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kb_articles
    FOR EACH STATEMENT EXECUTE FUNCTION kb_articles_bump_generation();

-- +goose Down
DROP TRIGGER kb_articles_generation ON kb_articles;
DROP FUNCTION kb_articles_bump_generation();
DELETE FROM kb_terms WHERE term = '#generation';
DROP SEQUENCE kb_generation_seq;
