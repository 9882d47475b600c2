-- Who read whose personal data: every service's PersonalDataRead events (eport.reads.<service>), kept
-- for the retention the settings name (eport.intake.personal-data-reads.retention).
CREATE TABLE personal_data_reads (
    event_id       text        PRIMARY KEY,
    application_id uuid        NOT NULL,
    service        text        NOT NULL,
    reader         text        NOT NULL,
    reader_roles   text[]      NOT NULL,
    reader_agency  text,
    fields         text[]      NOT NULL,
    what           text        NOT NULL,
    read_at        timestamptz NOT NULL
);

CREATE INDEX personal_data_reads_by_application ON personal_data_reads (application_id, read_at);
CREATE INDEX personal_data_reads_by_reader ON personal_data_reads (reader, read_at);
CREATE INDEX personal_data_reads_by_time ON personal_data_reads (read_at);
