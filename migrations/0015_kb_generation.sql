-- +goose Up
-- The knowledge base's generation: a number every write to kb_articles changes (one statement,
-- one new value from a sequence, which no TRUNCATE resets), kept as the kb_terms row '#generation'
-- so a search reads it with the term statistics it already fetches. Baton retrains its article
-- classifier and recalibrates its scores when it changes.
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

-- What calibration learnt of one language's articles with one embedder: the median vector score
-- of the best result when an article's own question is asked with that question held out
-- (pos_cosine) and with the whole article held out (neg_cosine). Search maps the embedder's
-- scores onto the reference scale with them, so one answer threshold holds for any embedder.
CREATE TABLE kb_calibration (
    language    text NOT NULL,
    embedder    text NOT NULL,
    generation  bigint NOT NULL,
    pos_cosine  double precision NOT NULL,
    neg_cosine  double precision NOT NULL,
    questions   integer NOT NULL,
    report      jsonb NOT NULL DEFAULT '{}',
    computed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (language, embedder)
);

-- +goose Down
DROP TABLE kb_calibration;
DROP TRIGGER kb_articles_generation ON kb_articles;
DROP FUNCTION kb_articles_bump_generation();
DELETE FROM kb_terms WHERE term = '#generation';
DROP SEQUENCE kb_generation_seq;
