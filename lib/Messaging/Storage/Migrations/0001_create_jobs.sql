-- The status projection of every job; the events themselves live in the Redis stream job:{id}.
-- Ids are ULID-like and sort by creation time under the "C" collation.
CREATE TABLE jobs (
    id             text        COLLATE "C" PRIMARY KEY,
    kind           text        NOT NULL,
    owner          text        NOT NULL,
    status         text        NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    created        timestamptz NOT NULL DEFAULT now(),
    started        timestamptz,
    finished       timestamptz,
    attempt        integer     NOT NULL DEFAULT 0,
    error          jsonb,
    result_summary jsonb,
    last_event_id  text
);

-- GET /v1/jobs pages one owner's jobs, newest first.
CREATE INDEX jobs_owner_id ON jobs (owner, id);
