-- Spans of every service, written by the PostgreSQL span exporter and read by the Portal.
CREATE TABLE spans (
    trace_id           text             NOT NULL,
    span_id            text             NOT NULL,
    parent_span_id     text,
    service            text             NOT NULL,
    scope              text             NOT NULL,
    name               text             NOT NULL,
    kind               text             NOT NULL,
    start_time         timestamptz      NOT NULL,
    duration_ms        double precision NOT NULL,
    status             text             NOT NULL,
    status_description text,
    attributes         jsonb            NOT NULL DEFAULT '{}',
    events             jsonb
);

CREATE INDEX spans_trace_id ON spans (trace_id);
CREATE INDEX spans_service_start_time ON spans (service, start_time DESC);
CREATE INDEX spans_start_time ON spans (start_time DESC);
