-- +goose Up
-- Embeddings of any dimension: an untyped vector column whose rows say their dimension, with one
-- partial HNSW index per dimension in use over the column cast to that dimension (pgvector
-- indexes need a fixed dimension). Baton creates the index for its configured embedder at start;
-- this one serves the default local embedder. Dimensions above 2,000 are indexed as halfvec.
DROP INDEX kb_chunks_embedding_idx;
ALTER TABLE kb_chunks ALTER COLUMN embedding TYPE vector;
ALTER TABLE kb_chunks ADD CONSTRAINT kb_chunks_dim_check CHECK (vector_dims(embedding) = dim);
CREATE INDEX kb_chunks_embedding_512_idx ON kb_chunks
    USING hnsw ((embedding::vector(512)) vector_cosine_ops) WITH (m = 32, ef_construction = 128) WHERE dim = 512;

-- The section a body chunk comes from ("Returns > Who pays"), the lexical tokens Baton computes
-- (English stems, Chinese character bigrams and unigrams; Postgres has no Chinese parser), and
-- the chunker version that cut it, so a better chunker can re-cut old articles.
ALTER TABLE kb_chunks ADD COLUMN heading text NOT NULL DEFAULT '';
ALTER TABLE kb_chunks ADD COLUMN tokens text[] NOT NULL DEFAULT '{}';
ALTER TABLE kb_chunks ADD COLUMN chunker text NOT NULL DEFAULT '';
CREATE INDEX kb_chunks_tokens_idx ON kb_chunks USING gin (tokens);

-- Document frequencies for BM25-style ranking: how many chunks hold each token, plus the rows
-- '#chunks' (chunk count) and '#tokens' (token count). Tokens never contain '#'. Kept by
-- statement-level triggers, so bulk writes pay one aggregated upsert per statement, in term
-- order so concurrent writers do not deadlock.
CREATE TABLE kb_terms (
    term text PRIMARY KEY,
    df   bigint NOT NULL
);
-- Chunks from before this migration have no tokens yet (Baton re-cuts them at start), but they
-- count as chunks, and deleting them will subtract them.
INSERT INTO kb_terms (term, df) SELECT '#chunks', count(*) FROM kb_chunks;

-- +goose StatementBegin
CREATE FUNCTION kb_chunks_count_terms() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO kb_terms (term, df)
        SELECT term, sum(n) FROM (
            SELECT t AS term, 1::bigint AS n FROM new_rows, unnest(new_rows.tokens) t
            UNION ALL SELECT '#chunks', 1 FROM new_rows
            UNION ALL SELECT '#tokens', cardinality(tokens) FROM new_rows) d
        GROUP BY term HAVING sum(n) <> 0 ORDER BY term
        ON CONFLICT (term) DO UPDATE SET df = kb_terms.df + EXCLUDED.df;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO kb_terms (term, df)
        SELECT term, sum(n) FROM (
            SELECT t AS term, -1::bigint AS n FROM old_rows, unnest(old_rows.tokens) t
            UNION ALL SELECT '#chunks', -1 FROM old_rows
            UNION ALL SELECT '#tokens', -cardinality(tokens) FROM old_rows) d
        GROUP BY term HAVING sum(n) <> 0 ORDER BY term
        ON CONFLICT (term) DO UPDATE SET df = kb_terms.df + EXCLUDED.df;
    ELSE
        INSERT INTO kb_terms (term, df)
        SELECT term, sum(n) FROM (
            SELECT t AS term, 1::bigint AS n FROM new_rows, unnest(new_rows.tokens) t
            UNION ALL SELECT t, -1 FROM old_rows, unnest(old_rows.tokens) t
            UNION ALL SELECT '#tokens', cardinality(tokens) FROM new_rows
            UNION ALL SELECT '#tokens', -cardinality(tokens) FROM old_rows) d
        GROUP BY term HAVING sum(n) <> 0 ORDER BY term
        ON CONFLICT (term) DO UPDATE SET df = kb_terms.df + EXCLUDED.df;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER kb_chunks_terms_insert AFTER INSERT ON kb_chunks
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kb_chunks_count_terms();
CREATE TRIGGER kb_chunks_terms_delete AFTER DELETE ON kb_chunks
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kb_chunks_count_terms();
CREATE TRIGGER kb_chunks_terms_update AFTER UPDATE ON kb_chunks
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kb_chunks_count_terms();

-- +goose Down
DROP TRIGGER kb_chunks_terms_update ON kb_chunks;
DROP TRIGGER kb_chunks_terms_delete ON kb_chunks;
DROP TRIGGER kb_chunks_terms_insert ON kb_chunks;
DROP FUNCTION kb_chunks_count_terms();
DROP TABLE kb_terms;

-- +goose StatementBegin
DO $$
DECLARE i text;
BEGIN
    FOR i IN SELECT indexname FROM pg_indexes
             WHERE schemaname = current_schema() AND tablename = 'kb_chunks' AND indexname LIKE 'kb_chunks_embedding_%_idx'
    LOOP
        EXECUTE format('DROP INDEX %I', i);
    END LOOP;
END
$$;
-- +goose StatementEnd
DROP INDEX kb_chunks_tokens_idx;
-- The old schema holds 512 dimensions only. Chunks are derived data: saving an article again
-- rebuilds its chunks.
DELETE FROM kb_chunks WHERE dim <> 512;
ALTER TABLE kb_chunks DROP CONSTRAINT kb_chunks_dim_check;
ALTER TABLE kb_chunks DROP COLUMN heading, DROP COLUMN tokens, DROP COLUMN chunker;
ALTER TABLE kb_chunks ALTER COLUMN embedding TYPE vector(512);
CREATE INDEX kb_chunks_embedding_idx ON kb_chunks USING hnsw (embedding vector_cosine_ops);
