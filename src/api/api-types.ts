/**
 * The API's types, generated from the OpenAPI document (itself made from the route
 * declarations) by openapi-typescript: `npm run gen:api-types`. Do not edit by hand —
 * test/api/client-types.test.ts fails when this file and the routes disagree.
 */
export interface paths {
    "/api/v1/annotations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete a tag or note (its author or an admin); answers with what was deleted
         * @description Roles: admin, clinician, integration.
         */
        delete: operations["deleteAnnotationsId"];
        options?: never;
        head?: never;
        /**
         * Change a tag's value or note (its author or an admin); the tag itself stays
         * @description Roles: admin, clinician, integration.
         */
        patch: operations["patchAnnotationsId"];
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Audit events, oldest first, filtered by action (or family like scan.*), actor, object, outcome and time
         * @description Roles: admin, auditor.
         */
        get: operations["getAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit trail as FHIR R4 AuditEvent NDJSON (format=fhir) or RFC 5424 syslog lines (format=syslog), streamed
         * @description Roles: admin, auditor.
         */
        get: operations["getAuditExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The state of the trail: newest event, newest signed checkpoint, last verification and one running now
         * @description Roles: admin, auditor.
         */
        get: operations["getAuditStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify every event hash, link and signed checkpoint (database and file); names the first bad event
         * @description Roles: admin, auditor.
         */
        post: operations["postAuditVerify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Changes after a sequence number, oldest first (poll with the returned last)
         * @description Roles: admin, clinician, integration, auditor.
         */
        get: operations["getChanges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live events (Server-Sent Events): every change with its seq as id, job progress at least every 2 s; Last-Event-ID resumes
         * @description Roles: admin, clinician, integration, auditor.
         */
        get: operations["getEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/folders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The watched folders with their state
         * @description Roles: admin.
         */
        get: operations["getFolders"];
        put?: never;
        /**
         * Watch another folder (kept across restarts)
         * @description Roles: admin.
         */
        post: operations["postFolders"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/folders/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Stop watching a folder added through the API (its files are left alone)
         * @description Roles: admin.
         */
        delete: operations["deleteFoldersName"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/folders/{name}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pause a folder: its files stay where they are until it resumes
         * @description Roles: admin.
         */
        post: operations["postFoldersNamePause"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/folders/{name}/quarantine": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Files of a folder Cusp could not take in, with the reason for each
         * @description Roles: admin.
         */
        get: operations["getFoldersNameQuarantine"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/folders/{name}/quarantine/remove": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Delete quarantined files and their notes for good (their bytes were never stored)
         * @description Roles: admin.
         */
        post: operations["postFoldersNameQuarantineRemove"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/folders/{name}/quarantine/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send quarantined files back through ingest (after the cause was fixed): each goes back where it arrived, with the files moved with it; one that fails again is quarantined again with the new reason
         * @description Roles: admin.
         */
        post: operations["postFoldersNameQuarantineRetry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/folders/{name}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resume a paused folder
         * @description Roles: admin.
         */
        post: operations["postFoldersNameResume"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/folders/rescan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Walk every folder now (files the watcher may have missed)
         * @description Roles: admin.
         */
        post: operations["postFoldersRescan"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/folders/test-rule": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Try a filename rule on sample file names before saving it
         * @description Roles: admin.
         */
        post: operations["postFoldersTestRule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness of the daemon (no token needed)
         * @description Public: no token needed.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/identity-reviews": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Scans waiting for a person to say whose they are (oldest first), with what each source said and the candidate patients
         * @description Roles: admin, clinician, integration.
         */
        get: operations["getIdentityReviews"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/identity-reviews/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One identity review
         * @description Roles: admin, clinician, integration.
         */
        get: operations["getIdentityReviewsId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/identity-reviews/{id}/resolve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Say whose the scan is: an existing patient or a new one. The export's other scans waiting for the same reason are resolved with it (listed in `reviews`)
         * @description Roles: admin, clinician, integration.
         */
        post: operations["postIdentityReviewsIdResolve"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload a photo (JPEG, PNG, HEIC) as the raw body: 201 stored; 200 with duplicate: true when the same bytes are stored already; 400 when it is no photo; 413 when too large
         * @description Roles: admin, clinician, integration.
         */
        post: operations["postImages"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images/{uid}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One photo: kind, capture time, camera, size, quality figures and verdict
         * @description Roles: admin, clinician, integration.
         */
        get: operations["getImagesUid"];
        put?: never;
        post?: never;
        /**
         * Delete a photo for good (administrators; refused while its patient is on legal hold); answers with what was deleted
         * @description Roles: admin.
         */
        delete: operations["deleteImagesUid"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images/{uid}/file": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The photo without identifying metadata (no EXIF/GPS/XMP/IPTC/comments; orientation kept). JPEG and PNG as stored minus metadata; HEIC as a JPEG copy (409 until it is made)
         * @description Roles: admin, clinician, integration.
         */
        get: operations["getImagesUidFile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images/{uid}/thumbnail": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A small upright JPEG of the photo (longer side 320 px), no metadata; 409 until the image job made it
         * @description Roles: admin, clinician, integration.
         */
        get: operations["getImagesUidThumbnail"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/images/counts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * How many photos arrived (since `from`), how many wait to be measured, cannot be decoded, have a quality finding or no patient — counts only, for the console
         * @description Roles: admin, clinician, integration.
         */
        get: operations["getImagesCounts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List jobs, newest first, by state, kind or scan
         * @description Roles: admin, clinician, integration.
         */
        get: operations["getJobs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One job with its progress, attempts and error
         * @description Roles: admin, clinician, integration.
         */
        get: operations["getJobsId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a queued or running job (a running worker is stopped)
         * @description Roles: admin.
         */
        post: operations["postJobsIdCancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Queue a failed or cancelled job again, its attempts reset
         * @description Roles: admin, clinician, integration.
         */
        post: operations["postJobsIdRetry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/links/{uid}/{what}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download through a signed link (no token; 403 when altered, expired or its maker is disabled)
         * @description Public: no token needed.
         */
        get: operations["getLinksUidWhat"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The last lines of the daemon log (redacted)
         * @description Roles: admin.
         */
        get: operations["getLogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/maintenance/backup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Write a consistent encrypted backup while the daemon runs (admin socket only)
         * @description Roles: admin.
         */
        post: operations["postMaintenanceBackup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/maintenance/key-rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Re-encrypt the open database under the key in newKeyFile, after any rotation still running (admin socket only; cusp key rotate)
         * @description Roles: admin.
         */
        post: operations["postMaintenanceKeyRotate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/maintenance/key-settle": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * After any rotation still running: is the pending key of an interrupted rotation the one the database is under? (admin socket only; cusp key rotate)
         * @description Roles: admin.
         */
        post: operations["postMaintenanceKeySettle"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics: scans by status, jobs by state, queue depth, job and request durations, database size, audit head
         * @description Roles: admin.
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This API described in OpenAPI 3.1: every operation with its roles, inputs, answers and errors
         * @description Public: no token needed.
         */
        get: operations["getOpenapiJson"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/patients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Find patients by external id or name, in name order, with cursor pages
         * @description Roles: admin, clinician, integration.
         */
        get: operations["getPatients"];
        put?: never;
        /**
         * Create a patient (an external id held by another patient is a 409)
         * @description Roles: admin, clinician, integration.
         */
        post: operations["postPatients"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/patients/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One patient with a summary of their scans and visits
         * @description Roles: admin, clinician, integration.
         */
        get: operations["getPatientsId"];
        put?: never;
        post?: never;
        /**
         * Erase a patient and all their scans for good (send {"confirm": "<id>"}); refused while on legal hold
         * @description Roles: admin.
         */
        delete: operations["deletePatientsId"];
        options?: never;
        head?: never;
        /**
         * Change name, birth date or external ids (null clears a field)
         * @description Roles: admin, clinician, integration.
         */
        patch: operations["patchPatientsId"];
        trace?: never;
    };
    "/api/v1/patients/{id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Everything about a patient as a zip: patient.json, every scan as the scanner wrote it with its files, reports, notes and audit events
         * @description Roles: admin, auditor.
         */
        get: operations["getPatientsIdExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/patients/{id}/legal-hold": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether a patient is on legal hold, and why
         * @description Roles: admin, auditor.
         */
        get: operations["getPatientsIdLegalHold"];
        /**
         * Place ({"hold": true, "reason": …}) or lift ({"hold": false}) a legal hold: a held patient is neither purged nor erased
         * @description Roles: admin, auditor.
         */
        put: operations["putPatientsIdLegalHold"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/patients/{id}/merge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Merge another record of the same person into this patient: its scans, visits (a visit on the same day joins this one), tags, external ids and legal hold move here, then it is removed
         * @description Roles: admin, clinician, integration.
         */
        post: operations["postPatientsIdMerge"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/patients/{id}/visits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A patient's visits, newest first, with their number of scans
         * @description Roles: admin, clinician, integration.
         */
        get: operations["getPatientsIdVisits"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/principals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Users and API clients with their roles
         * @description Roles: admin.
         */
        get: operations["getPrincipals"];
        put?: never;
        /**
         * Create a user or API client with a role
         * @description Roles: admin.
         */
        post: operations["postPrincipals"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/principals/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Disable a user or client: its tokens and client certificates are refused at once
         * @description Roles: admin.
         */
        post: operations["postPrincipalsIdDisable"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/principals/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Enable a disabled user or client again
         * @description Roles: admin.
         */
        post: operations["postPrincipalsIdEnable"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/principals/{id}/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A principal's tokens (never the secrets)
         * @description Roles: admin.
         */
        get: operations["getPrincipalsIdTokens"];
        put?: never;
        /**
         * Issue a token (shown once in this answer), expiring after `days`, optionally limited to scopes
         * @description Roles: admin.
         */
        post: operations["postPrincipalsIdTokens"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/retention": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The retention policy in force and the number of patients on legal hold
         * @description Roles: admin, auditor.
         */
        get: operations["getRetention"];
        /**
         * Set the retention policy (years, and which date counts)
         * @description Roles: admin.
         */
        put: operations["putRetention"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/retention/holds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Patients on legal hold, with the reason and who placed it
         * @description Roles: admin, auditor.
         */
        get: operations["getRetentionHolds"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/retention/purge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Remove expired scans of patients not on legal hold (dryRun=true, the default, only lists them); every removal is audited
         * @description Roles: admin.
         */
        post: operations["postRetentionPurge"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/review": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Visits waiting for review, oldest first, one line each
         * @description Roles: admin, clinician, integration.
         */
        get: operations["getReview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/review-links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make a signed link that opens the review page for one patient (at the patient, a visit or a scan) without a sign-in, acting as you; it expires after expiresInMinutes (default 60, at most a day)
         * @description Roles: admin, clinician, integration.
         */
        post: operations["postReviewLinks"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List scans, newest first, with filters and cursor pages
         * @description Roles: admin, clinician, integration.
         */
        get: operations["getScans"];
        put?: never;
        /**
         * Upload a scan file as the raw body (201 stored; 200 with duplicate: true when the same bytes are stored already; 422 when it cannot be read; 413 over api.maxUploadBytes; 503 with Retry-After while api.maxConcurrentUploads uploads are running)
         * @description Roles: admin, clinician, integration.
         */
        post: operations["postScans"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scans/{uid}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One scan with its validation report, arrivals and jobs
         * @description Roles: admin, clinician, integration.
         */
        get: operations["getScansUid"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scans/{uid}/annotations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A scan's tags and notes, oldest first
         * @description Roles: admin, clinician, integration.
         */
        get: operations["getScansUidAnnotations"];
        put?: never;
        /**
         * Tag or annotate a scan: tracking (good|fair|poor), fit (good|partial|poor|none), hygiene (1–3), detail, action, or a note alone
         * @description Roles: admin, clinician, integration.
         */
        post: operations["postScansUidAnnotations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scans/{uid}/artifacts/{kind}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download a derived file: thumbnail, preview, heat map, a kept conversion (404 "not made yet" until its job ran)
         * @description Roles: admin, clinician, integration.
         */
        get: operations["getScansUidArtifactsKind"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scans/{uid}/converted": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download the scan converted to STL, PLY, OBJ or GLB (made once in a worker, then kept); 422 for a rejected scan
         * @description Roles: admin, clinician, integration.
         */
        get: operations["getScansUidConverted"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scans/{uid}/identity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Where a scan's identity came from: every field with its source, what each source said, conflicts, how the patient was found
         * @description Roles: admin, clinician, integration.
         */
        get: operations["getScansUidIdentity"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scans/{uid}/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run one of a scan's jobs again (admin, clinician, integration)
         * @description Roles: admin, clinician, integration.
         */
        post: operations["postScansUidJobs"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scans/{uid}/links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make a signed download link (at most one hour) for a viewer that cannot send a token
         * @description Roles: admin, clinician, integration.
         */
        post: operations["postScansUidLinks"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scans/{uid}/original": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download the scan exactly as the scanner wrote it
         * @description Roles: admin, clinician, integration.
         */
        get: operations["getScansUidOriginal"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scans/{uid}/patient": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Assign a scan to a patient (optionally with its jaw and capture date), correct its jaw or date, or move a misfiled scan from another patient ("move": true; not while that patient is under a legal hold); queues the comparison with the patient's previous scan of that jaw and the bite with the visit's other jaw
         * @description Roles: admin, clinician, integration.
         */
        put: operations["putScansUidPatient"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who is signed in, with the CSRF token for writes (401 unauthenticated, or session_expired after the idle logoff)
         * @description Roles: admin, clinician, integration, auditor.
         */
        get: operations["getSession"];
        put?: never;
        /**
         * Sign in to the review page: exchange an API token for a session cookie (HttpOnly, Secure, SameSite=Strict) and a CSRF token
         * @description Public: no token needed.
         */
        post: operations["postSession"];
        /**
         * Sign out: the session ends and its cookie is cleared (a bearer caller has no session: nothing changes)
         * @description Roles: admin, clinician, integration, auditor.
         */
        delete: operations["deleteSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/system/storage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Disk space left for the data folder, and the size of the database (the console overview, also for a remote box)
         * @description Roles: admin.
         */
        get: operations["getSystemStorage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke a token at once
         * @description Roles: admin.
         */
        delete: operations["deleteTokensId"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/visits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a visit for a patient (also a second one on the same day), optionally moving some of the patient's scans into it
         * @description Roles: admin, clinician, integration.
         */
        post: operations["postVisits"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/visits/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One visit with its review state, its scans and its tags and notes
         * @description Roles: admin, clinician, integration.
         */
        get: operations["getVisitsId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change a visit's date or title (its scans keep their capture times)
         * @description Roles: admin, clinician, integration.
         */
        patch: operations["patchVisitsId"];
        trace?: never;
    };
    "/api/v1/visits/{id}/annotations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A visit's tags and notes, oldest first
         * @description Roles: admin, clinician, integration.
         */
        get: operations["getVisitsIdAnnotations"];
        put?: never;
        /**
         * Tag or annotate a visit (an aligner check-in), in the same vocabulary as a scan
         * @description Roles: admin, clinician, integration.
         */
        post: operations["postVisitsIdAnnotations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/visits/{id}/images": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The photos of a visit, by kind, with their quality check
         * @description Roles: admin, clinician, integration.
         */
        get: operations["getVisitsIdImages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/visits/{id}/move": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move scans and photos of the same patient into this visit (from another visit, or from none); the bite with the visit's other jaw is queued
         * @description Roles: admin, clinician, integration.
         */
        post: operations["postVisitsIdMove"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/visits/{id}/review": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Review a visit: reviewed (nothing to do), flagged (needs follow-up) or back to pending, with an optional note; the caller is recorded
         * @description Roles: admin, clinician, integration.
         */
        post: operations["postVisitsIdReview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/visits/{id}/split": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Split scans off into a new visit of the same patient (same day unless a date is given); at least one scan stays
         * @description Roles: admin, clinician, integration.
         */
        post: operations["postVisitsIdSplit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description A tag or note on a scan or visit */
        Annotation: {
            author: {
                id: number | null;
                name: string;
            };
            createdAt: string;
            id: number;
            note: string | null;
            /** @description uid of the scan it is on */
            scan: string | null;
            /** @description One of tracking, fit, hygiene, detail, action, note (older free tags are read as they were written) */
            tag: string;
            updatedAt: string | null;
            /** @description The value as text (hygiene "1"–"3"); null for a note */
            value: string | null;
            /** @description id of the visit it is on */
            visit: number | null;
        };
        AnnotationList: {
            annotations: components["schemas"]["Annotation"][];
        };
        AuditEvent: {
            action: string;
            actor: string;
            details: {
                [key: string]: unknown;
            };
            hash: string;
            object: string | null;
            /** @enum {string} */
            outcome: "success" | "failure" | "denied";
            prevHash: string;
            seq: number;
            source: string | null;
            time: string;
        };
        AuditStatus: {
            /** @description The newest event; null for an empty trail */
            head: {
                seq: number;
                time: string;
            } | null;
            /** @description The newest signed checkpoint */
            lastCheckpoint: {
                keyId: string;
                seq: number;
                time: string;
            } | null;
            /** @description The newest audit.verify event (API, console or `cusp audit verify`) */
            lastVerification: {
                actor: string;
                events: number | null;
                ok: boolean;
                time: string;
            } | null;
            /** @description A verification running now, and how far it got */
            verifying: {
                done: number;
                total: number;
            } | null;
        };
        AuditVerification: {
            checkpoints: number;
            events: number;
            fileCheckpoints: number;
            headHash: string;
            headSeq: number;
            lastCheckpoint?: {
                hash: string;
                keyId: string;
                seq: number;
                signature: string;
                time: string;
            };
            ok: boolean;
            problems: {
                message: string;
                seq: number | null;
            }[];
        };
        /** @description Every failure: the status from one table, a stable code and a message that says what to do */
        Error: {
            error: {
                /** @description Stable machine-readable code (src/errors.ts), e.g. not_found, invalid_input */
                code: string;
                /** @description What failed and what to do, for a person */
                message: string;
            };
        };
        ExternalId: {
            system: string;
            value: string;
        };
        /** @description A watched drop folder with its settings and state */
        Folder: {
            after: string;
            archiveDir: string | null;
            layout: string;
            message: string | null;
            name: string;
            /**
             * @description config: from the config file (remove it there); runtime: added through the API
             * @enum {string}
             */
            origin: "config" | "runtime";
            path: string;
            paused: boolean;
            polling: boolean;
            quarantineDir: string;
            rescanMinutes: number;
            rule: string;
            stabilitySeconds: number;
            /** @description starting, watching, polling, paused, missing or error */
            state: string;
        };
        IdentityEvidence: {
            conflicts: {
                /** @enum {string} */
                field: "name" | "birthDate" | "externalId";
                values: {
                    /**
                     * @description manifest (scanner XML), rx (Rx page), dentalProject, sidecar (JSON), folder (patient folder), name (folder and file names), mtime (file time), received (upload time)
                     * @enum {string}
                     */
                    source: "manifest" | "rx" | "dentalProject" | "sidecar" | "folder" | "name" | "mtime" | "received";
                    value: string;
                }[];
            }[];
            /** @description Each field of the identity with the source it was taken from */
            fields: {
                [key: string]: {
                    /**
                     * @description manifest (scanner XML), rx (Rx page), dentalProject, sidecar (JSON), folder (patient folder), name (folder and file names), mtime (file time), received (upload time)
                     * @enum {string}
                     */
                    source: "manifest" | "rx" | "dentalProject" | "sidecar" | "folder" | "name" | "mtime" | "received";
                    value: string;
                };
            };
            /** @description What each source said, most trusted first */
            said: ({
                /**
                 * @description manifest (scanner XML), rx (Rx page), dentalProject, sidecar (JSON), folder (patient folder), name (folder and file names), mtime (file time), received (upload time)
                 * @enum {string}
                 */
                source: "manifest" | "rx" | "dentalProject" | "sidecar" | "folder" | "name" | "mtime" | "received";
            } & {
                [key: string]: string;
            })[];
            warnings: string[];
        };
        IdentityReview: {
            /** @description The patients the sources may mean */
            candidates: components["schemas"]["Patient"][];
            createdAt: string;
            evidence: components["schemas"]["IdentityEvidence"] | null;
            id: number;
            match: ("external-id" | "order" | "name-birth" | "name" | "created" | "review" | "given" | "none" | "resolved") | null;
            /** @description The patient chosen (pseudonymous id) */
            patient: string | null;
            /**
             * @description conflict: the sources name different people; ambiguous: the name fits several patients; id-mismatch: an id names a patient the name does not
             * @enum {string}
             */
            reason: "conflict" | "ambiguous" | "id-mismatch";
            resolution: ("existing" | "created") | null;
            resolvedAt: string | null;
            resolvedBy: string | null;
            scan: {
                capturedAt: string | null;
                jaw: string;
                originalName: string;
                receivedAt: string;
                sourceFolder: string | null;
                uid: string;
            };
            /** @enum {string} */
            state: "open" | "resolved";
        };
        /** @description A photo: kind, capture time, camera, quality */
        Image: {
            camera: {
                make: string | null;
                model: string | null;
            };
            /** @description EXIF capture time (camera clock, offset when recorded), else the date of the name, scan, upload or file */
            capturedAt: string | null;
            capturedAtSource: ("exif" | "name" | "scan" | "file" | "upload") | null;
            /** @description The original carries a GPS position; no served copy does */
            hadLocation: boolean;
            height: number | null;
            /**
             * @description The view: frontal, left, right, upper-occlusal, lower-occlusal, or other when the name does not say
             * @enum {string}
             */
            kind: "frontal" | "left" | "right" | "upper-occlusal" | "lower-occlusal" | "other";
            /**
             * @description Where the kind was read: the file name, the upload, or nowhere (other)
             * @enum {string}
             */
            kindSource: "name" | "upload" | "none";
            /**
             * @description Of the stored original; GET …/file serves JPEG for HEIC
             * @enum {string}
             */
            mediaType: "image/jpeg" | "image/png" | "image/heic";
            /** @description Pseudonymous patient id; null while unassigned */
            patient: string | null;
            quality: {
                figures: {
                    /** @description Share of pixels with luma ≥ 247 */
                    clippedBright: number;
                    /** @description Share of pixels with luma ≤ 8 */
                    clippedDark: number;
                    height: number;
                    /** @description 0–255 */
                    meanLuma: number;
                    /** @description Variance of the Laplacian of the grey picture downscaled to 512 px */
                    sharpness: number;
                    width: number;
                };
                findings: ("ok" | "blurry" | "dark" | "overexposed" | "low-resolution")[];
                /** @enum {string} */
                verdict: "ok" | "blurry" | "dark" | "overexposed" | "low-resolution";
            } | null;
            /** @description Why an image is unreadable */
            reason: string | null;
            receivedAt: string;
            /** @description uid of the scan whose export held the photo */
            scan: string | null;
            /** @description Of the stored original (the served copy is stripped of metadata and differs) */
            sha256: string;
            /** @description Bytes of the stored original */
            size: number;
            source: {
                folder: string | null;
                originalName: string;
            };
            /**
             * @description received: not measured yet; unreadable: its bytes do not decode (they stay stored)
             * @enum {string}
             */
            status: "received" | "measured" | "unreadable";
            /** @description GET /images/{uid}/thumbnail has a picture */
            thumbnail: boolean;
            /** @description The image id used everywhere in the API */
            uid: string;
            visit: number | null;
            width: number | null;
        };
        ImageUpload: {
            duplicate: boolean;
            image: components["schemas"]["Image"];
        };
        Job: {
            attempts: number;
            createdAt: string;
            error: string | null;
            finishedAt: string | null;
            id: number;
            kind: string;
            maxAttempts: number;
            /** @description 0 to 1 */
            progress: number;
            runAfter: string;
            /** @description uid of the scan the job works on */
            scan: string | null;
            stage: string | null;
            startedAt: string | null;
            /** @enum {string} */
            state: "queued" | "running" | "done" | "failed" | "cancelled";
        };
        LegalHold: {
            hold: boolean;
            patient: string;
            placedAt: string | null;
            placedBy: string | null;
            reason: string | null;
        };
        /** @description The validation report of a mesh: topology, measurements and self-intersections, judged for a profile */
        MeshReport: {
            /** @description Surface area, square model units */
            area: number;
            /** @description Bounding box of the vertices used by triangles, model units */
            bbox: {
                max: number[];
                min: number[];
            };
            boundaryEdges: number;
            boundaryLoops: {
                count: number;
                lengths: number[];
            };
            /** @description Pieces joined by shared edges; sizes in triangles, largest first, at most 100 listed */
            components: {
                count: number;
                sizes: number[];
            };
            degenerateTriangles: number;
            duplicateTriangles: number;
            edgeManifold: boolean;
            /** @description Boundary loops beyond the outer border of each piece, longest first */
            holes: {
                count: number;
                lengths: number[];
            };
            inconsistentEdges: number;
            inwardFacing: boolean;
            issues: {
                code: string;
                message: string;
                /** @enum {string} */
                severity: "warn" | "fail";
            }[];
            nonManifoldEdges: number;
            nonManifoldVertices: number;
            /** @enum {string} */
            profile: "scan" | "solid";
            /** @description null when the check was skipped */
            selfIntersecting: boolean | null;
            /** @description Where the surface crosses itself: the first 200 intersecting pairs at most, each as both triangles' corners (reports made before this field was added lack it) */
            selfIntersectingFaces?: {
                /** @description The three corners x0, y0, z0, x1, y1, z1, x2, y2, z2 in model units */
                a: number[];
                /** @description The three corners x0, y0, z0, x1, y1, z1, x2, y2, z2 in model units */
                b: number[];
            }[];
            /** @description Pairs of non-neighbouring triangles that cross or touch; null when the check was skipped */
            selfIntersectingPairs: number | null;
            signedVolume: number;
            triangles: number;
            units: {
                /** @enum {string} */
                guess: "mm" | "cm" | "m" | "inch" | "unknown";
                reason: string;
            };
            /** @enum {string} */
            verdict: "ok" | "warn" | "fail";
            vertexManifold: boolean;
            /** @description Vertices used by triangles, after exact welding */
            vertices: number;
            /** @description Enclosed volume; null unless the mesh is watertight and consistently wound */
            volume: number | null;
            watertight: boolean;
            windingConsistent: boolean;
        };
        NewAnnotation: {
            /** @description Free text, up to 4000 characters */
            note?: string;
            /**
             * @description Overall tracking
             * @constant
             */
            tag: "tracking";
            /** @enum {string} */
            value: "good" | "fair" | "poor";
        } | {
            /** @description Free text, up to 4000 characters */
            note?: string;
            /**
             * @description Aligner fit (none: no aligner worn)
             * @constant
             */
            tag: "fit";
            /** @enum {string} */
            value: "good" | "partial" | "poor" | "none";
        } | {
            /** @description Free text, up to 4000 characters */
            note?: string;
            /**
             * @description Oral hygiene: 1 good, 2 fair, 3 poor
             * @constant
             */
            tag: "hygiene";
            value: number;
        } | {
            /** @description Free text, up to 4000 characters */
            note?: string;
            /**
             * @description A finding; add one per finding
             * @constant
             */
            tag: "detail";
            /** @enum {string} */
            value: "attachment-lost" | "attachment-worn" | "aligner-damaged" | "aligner-not-seated" | "tooth-not-tracking" | "space-opening" | "gingival-inflammation" | "recession" | "caries-suspected" | "decalcification" | "elastic-issue" | "pain-reported";
        } | {
            /** @description Free text, up to 4000 characters */
            note?: string;
            /**
             * @description What was done or decided
             * @constant
             */
            tag: "action";
            /** @enum {string} */
            value: "continue" | "next-aligner" | "extend-wear" | "chewies" | "rebond-attachment" | "ipr" | "hygiene-instruction" | "refinement" | "rescan" | "refer" | "none";
        } | {
            note: string;
            /**
             * @description A note on its own (the tag may be left out)
             * @constant
             */
            tag: "note";
        };
        Patient: {
            birthDate: string | null;
            createdAt: string;
            externalIds: components["schemas"]["PatientExternalId"][];
            firstName: string | null;
            /** @description Pseudonymous patient id: what the API, audit trail and logs use */
            id: string;
            lastName: string | null;
            legalHold: boolean;
            updatedAt: string;
        };
        /** @description An id of the patient in another system (practice software, scanner order) */
        PatientExternalId: {
            system: string;
            value: string;
        };
        Principal: {
            createdAt: string;
            disabled: boolean;
            id: number;
            /** @enum {string} */
            kind: "user" | "client";
            name: string;
            /** @enum {string} */
            role: "admin" | "clinician" | "integration" | "auditor";
        };
        PurgedItem: {
            date: string;
            patient: string | null;
            uid: string;
        };
        QuarantinedFile: {
            /** @description Where it lay in the drop folder */
            arrivedAs: string;
            /** @description Path inside the quarantine folder */
            file: string;
            /** @description Whose the file may be, read from its name with the folder's rule; null when the name names no one */
            owner: {
                birthDate: string | null;
                firstName: string | null;
                lastName: string | null;
                /** @description The pseudonymous id of the one record the name points to */
                patient: string | null;
                /** @description How many records the name fits: 0 none yet, more than 1 goes to identity review */
                records: number;
            } | null;
            quarantinedAt: string;
            /** @description Why Cusp could not take the file in (from its .reason.txt) */
            reason: string | null;
            size: number;
        };
        QuarantinedFiles: {
            /** @description Paths inside the quarantine folder, as GET /folders/{name}/quarantine lists them */
            files: string[];
        };
        RetentionPolicy: {
            /**
             * @description captured: the capture date (the receipt date when unknown); received: when Cusp took the scan in
             * @enum {string}
             */
            basis: "captured" | "received";
            /**
             * @description config: retention.scansYears of the config file; set: through the API
             * @enum {string}
             */
            origin: "config" | "set";
            scansYears: number;
            updatedAt: string | null;
            updatedBy: string | null;
        };
        /** @description A stored scan: one shape for lists and detail */
        Scan: {
            capturedAt: string | null;
            format: string;
            /** @enum {string} */
            jaw: "upper" | "lower" | "bite" | "other";
            /** @description Pseudonymous patient id (GET /patients/{id} for the person); null while unassigned */
            patient: string | null;
            /** @description Why a scan was rejected, or why its verdict is warn or fail (null for ok) */
            reason: string | null;
            receivedAt: string;
            sha256: string;
            size: number;
            source: components["schemas"]["ScanSource"];
            /** @enum {string} */
            status: "received" | "validated" | "rejected" | "analysed";
            /** @description uid of the earlier version this re-export replaces */
            supersedes: string | null;
            /** @description The scan id used everywhere in the API */
            uid: string;
            updatedAt: string;
            verdict: ("ok" | "warn" | "fail") | null;
            version: number;
        };
        ScanIdentity: {
            capturedAt: string | null;
            caseId?: string;
            jaw: string;
            patient: {
                birthDate?: string;
                externalId?: {
                    system: string;
                    value: string;
                };
                firstName?: string;
                lastName?: string;
                /** @description A scanner order (iTero): the same order is the same patient, but it is not the person's id */
                orderId?: {
                    system: string;
                    value: string;
                };
            } | null;
            rule: string;
            scanner: string | null;
        };
        ScanIdentitySources: {
            /** @description null for scans stored before sources were recorded */
            evidence: components["schemas"]["IdentityEvidence"] | null;
            match: ("external-id" | "order" | "name-birth" | "name" | "created" | "review" | "given" | "none" | "resolved") | null;
            /** @description The open identity review of this scan */
            review: number | null;
            scan: string;
        };
        /** @description Where the scan came from: the drop folder (null for uploads), the file name, the scanner */
        ScanSource: {
            folder: string | null;
            originalName: string;
            scanner: string | null;
        };
        ScanUpload: {
            duplicate: boolean;
            scan: components["schemas"]["Scan"];
        };
        Session: {
            /** @description Send it as the X-CSRF-Token header on every POST, PUT, PATCH and DELETE made with the cookie; null for a bearer caller */
            csrfToken: string | null;
            /** @description The session ends after this many minutes without a request (review.idleLogoffMinutes) */
            idleLogoffMinutes: number;
            /** @description A session opened through a signed review link reaches only this patient (pseudonymous id); null otherwise */
            limitedTo: string | null;
            principal: components["schemas"]["SessionPrincipal"];
        };
        SessionPrincipal: {
            id: number;
            name: string;
            /** @enum {string} */
            role: "admin" | "clinician" | "integration" | "auditor";
        };
        Token: {
            createdAt: string;
            expiresAt: string | null;
            id: number;
            lastUsedAt: string | null;
            name: string;
            principal: number;
            revokedAt: string | null;
            scopes: string[];
        };
        /** @description A visit with its title and clinical review state */
        VisitDetail: {
            createdAt: string;
            date: string;
            id: number;
            /** @description Pseudonymous patient id */
            patient: string;
            review: components["schemas"]["VisitReview"];
            /** @description What the appointment was, e.g. "aligner check-in 4" */
            title: string | null;
            updatedAt: string;
        };
        VisitReview: {
            at: string | null;
            /** @description Who took the last review action */
            by: {
                actor: string;
                name: string;
            } | null;
            note: string | null;
            /**
             * @description pending → reviewed | flagged; a reviewed visit is pending again when a scan arrives in it
             * @enum {string}
             */
            state: "pending" | "reviewed" | "flagged";
        };
        VisitSummary: {
            createdAt: string;
            date: string;
            id: number;
            /** @description Pseudonymous patient id */
            patient: string;
            scans: number;
        };
        VisitWithScans: {
            createdAt: string;
            date: string;
            id: number;
            /** @description Pseudonymous patient id */
            patient: string;
            review: components["schemas"]["VisitReview"];
            scans: components["schemas"]["Scan"][];
            /** @description What the appointment was, e.g. "aligner check-in 4" */
            title: string | null;
            updatedAt: string;
        };
    };
    responses: {
        /** @description A body was sent: this GET takes none */
        BodyOnGet: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The input is not valid: the message names each field that is wrong and why */
        InvalidInput: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Nothing has that id: the message names what was not found */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The body is not application/json */
        NotJson: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Too many failed logins from this address with this credential: Retry-After says when to try again */
        RateLimited: {
            headers: {
                /** @description Seconds to wait */
                "Retry-After"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Any other failure (5xx): the same error shape; the daemon log has the details */
        ServerError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description A token was sent and it is unknown, revoked or expired (this route needs none, but a token sent is checked) */
        TokenRefused: {
            headers: {
                /** @description Bearer */
                "WWW-Authenticate"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description No token, or one that is unknown, revoked or expired: send "Authorization: Bearer <token>" */
        Unauthorized: {
            headers: {
                /** @description Bearer */
                "WWW-Authenticate"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    deleteAnnotationsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Annotation"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover annotations:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    patchAnnotationsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    note?: string | null;
                    /** @description A value of the tag's vocabulary */
                    value?: string | number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Annotation"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover annotations:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getAudit: {
        parameters: {
            query?: {
                action?: string;
                actor?: string;
                /** @description At or after (ISO date or time) */
                from?: string;
                limit?: number;
                object?: string;
                outcome?: "success" | "failure" | "denied";
                /** @description Events after this sequence number (the `next` of the previous page) */
                since?: number;
                /** @description Before (ISO date or time) */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        events: components["schemas"]["AuditEvent"][];
                        next: number | null;
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, auditor, or its token is limited to scopes that do not cover audit:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getAuditExport: {
        parameters: {
            query?: {
                /** @description fhir: FHIR R4 AuditEvent NDJSON; syslog: RFC 5424 lines */
                format?: "fhir" | "syslog";
                /** @description Only events after this sequence number */
                since?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/fhir+ndjson": string;
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, auditor, or its token is limited to scopes that do not cover audit:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getAuditStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditStatus"];
                };
            };
            400: components["responses"]["BodyOnGet"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, auditor, or its token is limited to scopes that do not cover audit:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postAuditVerify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditVerification"];
                };
            };
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, auditor, or its token is limited to scopes that do not cover audit:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getChanges: {
        parameters: {
            query?: {
                limit?: number;
                since?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        changes: {
                            /** @description Details; for the auditor role only ids and enums (file names and reasons left out, `redacted: true` then) */
                            data: {
                                [key: string]: unknown;
                            };
                            /** @description As the API names the object: a scan uid, pseudonymous patient id, visit, annotation or job id, folder name — never an internal row id */
                            objectId: string;
                            objectType: string;
                            seq: number;
                            time: string;
                            /** @description scan.received, scan.validated, scan.compare, scan.analysed, scan.assigned, scan.moved, scan.duplicate, scan.quarantined, scan.purged, scan.erased, patient.created (from the API and from ingest), patient.updated, patient.erased, visit.created, visit.updated, visit.split, visit.review, annotation.created, annotation.updated, annotation.deleted, job.queued, folder.added, … */
                            type: string;
                        }[];
                        /** @description false: more changes wait, ask again at once */
                        done: boolean;
                        /** @description Pass as since next time */
                        last: number;
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, auditor, or its token is limited to scopes that do not cover changes:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getEvents: {
        parameters: {
            query?: {
                /** @description Replay changes after this seq first (Last-Event-ID wins when both are sent) */
                since?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, auditor, or its token is limited to scopes that do not cover changes:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getFolders: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        folders: components["schemas"]["Folder"][];
                    };
                };
            };
            400: components["responses"]["BodyOnGet"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover folders:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            /** @description Folder watching is not running in this process */
            503: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            default: components["responses"]["ServerError"];
        };
    };
    postFolders: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    after?: "delete" | "archive" | "keep";
                    archiveDir?: string;
                    /** @enum {string} */
                    layout?: "flat" | "patient-subfolder";
                    name?: string;
                    path: string;
                    paused?: boolean;
                    polling?: boolean;
                    pollIntervalSeconds?: number;
                    quarantineDir?: string;
                    rescanMinutes?: number;
                    rule?: string;
                    stabilitySeconds?: number;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Folder"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover folders:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A folder of that name is watched already, or the path overlaps a watched folder */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            /** @description Folder watching is not running in this process */
            503: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            default: components["responses"]["ServerError"];
        };
    };
    deleteFoldersName: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover folders:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The folder comes from the config file: remove it there */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            /** @description Folder watching is not running in this process */
            503: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            default: components["responses"]["ServerError"];
        };
    };
    postFoldersNamePause: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Folder"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover folders:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            /** @description Folder watching is not running in this process */
            503: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            default: components["responses"]["ServerError"];
        };
    };
    getFoldersNameQuarantine: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        dir: string;
                        files: components["schemas"]["QuarantinedFile"][];
                        folder: string;
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover folders:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            /** @description Folder watching is not running in this process */
            503: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            default: components["responses"]["ServerError"];
        };
    };
    postFoldersNameQuarantineRemove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["QuarantinedFiles"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        removed: number;
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover folders:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            /** @description Folder watching is not running in this process */
            503: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            default: components["responses"]["ServerError"];
        };
    };
    postFoldersNameQuarantineRetry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["QuarantinedFiles"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        retried: {
                            file: string;
                            /** @description Where it went back to, inside the drop folder */
                            to: string;
                            with: string[];
                        }[];
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover folders:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            /** @description Folder watching is not running in this process */
            503: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            default: components["responses"]["ServerError"];
        };
    };
    postFoldersNameResume: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Folder"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover folders:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            /** @description Folder watching is not running in this process */
            503: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            default: components["responses"]["ServerError"];
        };
    };
    postFoldersRescan: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        files: number;
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover folders:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            /** @description Folder watching is not running in this process */
            503: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            default: components["responses"]["ServerError"];
        };
    };
    postFoldersTestRule: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @default flat
                     * @enum {string}
                     */
                    layout?: "flat" | "patient-subfolder";
                    /** @description File paths as the scanner writes them into the folder */
                    names: string[];
                    /** @description A preset (generic, auto, trios, medit, itero, primescan), a pattern like {lastName}_{firstName}_{date}_{jaw}, or re:<regex> */
                    rule: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            /** @description Every field found, with its source */
                            evidence: components["schemas"]["IdentityEvidence"];
                            identity: components["schemas"]["ScanIdentity"];
                            name: string;
                            warnings: string[];
                        }[];
                        rule: string;
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover folders:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The audit trail's head, for monitoring to keep a copy of: `cusp audit verify --against` checks the trail with it */
                        audit?: {
                            /** @description The newest signed checkpoint */
                            checkpoint: {
                                hash: string;
                                keyId: string;
                                seq: number;
                                time: string;
                            } | null;
                            /** @description Its chain hash */
                            headHash: string;
                            /** @description The newest audit event the daemon appended */
                            headSeq: number;
                            /** @description Forwarding of checkpoints to the syslog collector (audit.syslog) */
                            syslog?: {
                                dropped: number;
                                queued: number;
                                /** @enum {string} */
                                state: "connecting" | "connected" | "waiting";
                            };
                        };
                        checks?: {
                            [key: string]: string;
                        };
                        /** @description While degraded: what needs a person, one sentence each */
                        problems?: string[];
                        /** @enum {string} */
                        status: "starting" | "ready" | "degraded" | "stopping";
                        uptimeSeconds: number;
                        version: string;
                    };
                };
            };
            400: components["responses"]["BodyOnGet"];
            401: components["responses"]["TokenRefused"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getIdentityReviews: {
        parameters: {
            query?: {
                /** @description The id of the last review of the previous page */
                after?: number;
                limit?: number;
                state?: "open" | "resolved";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        next: number | null;
                        open: number;
                        reviews: components["schemas"]["IdentityReview"][];
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover identity:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getIdentityReviewsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IdentityReview"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover identity:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postIdentityReviewsIdResolve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description An existing patient */
                    patient: string;
                } | {
                    /** @description A new patient with these details */
                    create: {
                        /** Format: date */
                        birthDate?: string;
                        /** @default [] */
                        externalIds?: components["schemas"]["ExternalId"][];
                        firstName?: string;
                        lastName?: string;
                    };
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created: boolean;
                        patient: components["schemas"]["Patient"];
                        reviews: components["schemas"]["IdentityReview"][];
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover identity:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The review was resolved already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postImages: {
        parameters: {
            query?: {
                /** @description When taken, if the photo's EXIF does not say */
                capturedAt?: string;
                /** @description The view: frontal, left, right, upper-occlusal, lower-occlusal, or other when the name does not say */
                kind?: "frontal" | "left" | "right" | "upper-occlusal" | "lower-occlusal" | "other";
                /** @description The file name (or send it in X-Filename); the kind is read from it unless `kind` is given */
                name?: string;
                /** @description Pseudonymous id of the patient the photo belongs to */
                patient?: string;
                /** @description The visit the photo belongs to (its patient is the visit's) */
                visit?: number;
            };
            header?: {
                /** @description The file name, percent-encoded (encodeURIComponent); or send ?name= */
                "X-Filename"?: string;
            };
            path?: never;
            cookie?: never;
        };
        /** @description The photo's bytes as the camera or export wrote them */
        requestBody: {
            content: {
                "application/octet-stream": unknown;
                "image/heic": unknown;
                "image/heif": unknown;
                "image/jpeg": unknown;
                "image/png": unknown;
            };
        };
        responses: {
            /** @description The same bytes are stored already (duplicate: true) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImageUpload"];
                };
            };
            /** @description Stored */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImageUpload"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover images:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The file is larger than this server accepts (api.maxUploadBytes) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The Content-Type is not one of image/jpeg, image/png, image/heic, image/heif, application/octet-stream, or the body is compressed */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            /** @description As many uploads are running as api.maxConcurrentUploads allows: Retry-After says when to send again */
            503: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            default: components["responses"]["ServerError"];
        };
    };
    getImagesUid: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Image"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover images:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    deleteImagesUid: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        blobs: number;
                        image: string;
                        patient: string | null;
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover images:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description Its patient is on legal hold */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getImagesUidFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/jpeg": string;
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover images:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description A HEIC photo whose JPEG copy is not made yet, or a stored photo too malformed to copy without its metadata */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getImagesUidThumbnail: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/jpeg": string;
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover images:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The image job has not made the thumbnail yet */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getImagesCounts: {
        parameters: {
            query?: {
                /** @description Received at or after */
                from?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        pending: number;
                        toCheck: number;
                        total: number;
                        unassigned: number;
                        unreadable: number;
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover images:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getJobs: {
        parameters: {
            query?: {
                /** @description The `next` value of the previous page */
                cursor?: string;
                kind?: string;
                limit?: number;
                scan?: string;
                state?: "queued" | "running" | "done" | "failed" | "cancelled";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        jobs: components["schemas"]["Job"][];
                        next: string | null;
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover jobs:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getJobsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover jobs:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postJobsIdCancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover jobs:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The job has ended already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postJobsIdRetry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover jobs:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The job is not failed or cancelled */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getLinksUidWhat: {
        parameters: {
            query: {
                by: string;
                exp: string;
                sig: string;
            };
            header?: never;
            path: {
                uid: string;
                what: "original" | string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": string;
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["TokenRefused"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getLogs: {
        parameters: {
            query?: {
                lines?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        lines: string[];
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover logs:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postMaintenanceBackup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    backupKeyFile?: string;
                    file?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        auditHeadSeq: number;
                        bytes: number;
                        createdAt: string;
                        file: string;
                        key: {
                            id: string;
                            /** @enum {string} */
                            kind: "database" | "separate";
                        };
                        pruned: string[];
                        schemaVersion: number;
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover maintenance:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            /** @description Backups are not available in this process */
            503: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            default: components["responses"]["ServerError"];
        };
    };
    postMaintenanceKeyRotate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    newKeyFile: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Public id of the key the database is now under */
                        keyId: string;
                        /** @constant */
                        rotated: true;
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover maintenance:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postMaintenanceKeySettle: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    pendingKeyFile: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Public id of the key the database is under */
                        keyId: string;
                        /**
                         * @description current: the database is under the pending key (make it the key file); unused: it is not, and the daemon will never rotate to it (set it aside); unreadable: not a whole key (set it aside)
                         * @enum {string}
                         */
                        pending: "current" | "unused" | "unreadable";
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover maintenance:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            400: components["responses"]["BodyOnGet"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover metrics:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getOpenapiJson: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["BodyOnGet"];
            401: components["responses"]["TokenRefused"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getPatients: {
        parameters: {
            query?: {
                /** @description The `next` value of the previous page */
                cursor?: string;
                /** @description system:value */
                externalId?: string;
                limit?: number;
                /** @description Words that start the last or first name (case and accents ignored) */
                name?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        next: string | null;
                        patients: components["schemas"]["Patient"][];
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover patients:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postPatients: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: date */
                    birthDate?: string;
                    /** @default [] */
                    externalIds?: components["schemas"]["ExternalId"][];
                    firstName?: string;
                    lastName?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Patient"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover patients:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An external id given belongs to another patient */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getPatientsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        birthDate: string | null;
                        createdAt: string;
                        externalIds: components["schemas"]["PatientExternalId"][];
                        firstName: string | null;
                        /** @description Pseudonymous patient id: what the API, audit trail and logs use */
                        id: string;
                        lastName: string | null;
                        legalHold: boolean;
                        scans: {
                            byJaw: {
                                [key: string]: number;
                            };
                            count: number;
                            firstReceivedAt: string | null;
                            lastReceivedAt: string | null;
                            /** @description The 10 newest */
                            latest: components["schemas"]["Scan"][];
                        };
                        updatedAt: string;
                        visits: components["schemas"]["VisitSummary"][];
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover patients:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    deletePatientsId: {
        parameters: {
            query?: {
                /** @description The patient id again, to confirm (or send {"confirm": …}) */
                confirm?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** @description The patient id again, to confirm */
                    confirm: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        annotations: number;
                        artifacts: number;
                        /** @description The audit event that records the erasure (the tombstone) */
                        auditSeq: number;
                        blobs: number;
                        externalIds: number;
                        /** @description Photos removed (their bytes are counted in blobs) */
                        images: number;
                        jobs: number;
                        patient: string;
                        reports: number;
                        scans: number;
                        visits: number;
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover gdpr:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The patient is on legal hold */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    patchPatientsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    birthDate?: string | null;
                    /** @description Replaces the whole list */
                    externalIds?: components["schemas"]["ExternalId"][];
                    firstName?: string | null;
                    lastName?: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Patient"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover patients:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getPatientsIdExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/zip": string;
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, auditor, or its token is limited to scopes that do not cover gdpr:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getPatientsIdLegalHold: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegalHold"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, auditor, or its token is limited to scopes that do not cover retention:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    putPatientsIdLegalHold: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    hold: boolean;
                    /** @description Required when placing a hold: the matter it is for */
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LegalHold"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, auditor, or its token is limited to scopes that do not cover retention:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postPatientsIdMerge: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The duplicate patient, removed after the merge */
                    from: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        birthDate: string | null;
                        createdAt: string;
                        externalIds: components["schemas"]["PatientExternalId"][];
                        firstName: string | null;
                        /** @description Pseudonymous patient id: what the API, audit trail and logs use */
                        id: string;
                        lastName: string | null;
                        legalHold: boolean;
                        moved: {
                            externalIds: number;
                            scans: number;
                            visitsJoined: number;
                            visitsMoved: number;
                        };
                        updatedAt: string;
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover patients:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description An external id or legal hold of the two patients conflicts, or a record of the merged patient could not be moved (nothing changed) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getPatientsIdVisits: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        visits: components["schemas"]["VisitSummary"][];
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover visits:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getPrincipals: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        principals: components["schemas"]["Principal"][];
                    };
                };
            };
            400: components["responses"]["BodyOnGet"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover principals:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postPrincipals: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description user: a person; client: a program (practice software, lab software)
                     * @default client
                     * @enum {string}
                     */
                    kind?: "user" | "client";
                    name: string;
                    /** @enum {string} */
                    role: "admin" | "clinician" | "integration" | "auditor";
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Principal"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover principals:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A principal with that name exists already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postPrincipalsIdDisable: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Principal"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover principals:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The principal is disabled already, or it is the caller */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postPrincipalsIdEnable: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Principal"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover principals:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The principal is enabled already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getPrincipalsIdTokens: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        tokens: components["schemas"]["Token"][];
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover principals:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postPrincipalsIdTokens: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Days until it expires (default api.tokenTtlDays) */
                    days?: number;
                    name: string;
                    /**
                     * @description Empty: everything the role allows
                     * @default []
                     */
                    scopes?: string[];
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        info: components["schemas"]["Token"];
                        /** @description Shown once: store it now */
                        token: string;
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover principals:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The principal is disabled */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getRetention: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        legalHolds: number;
                        policy: components["schemas"]["RetentionPolicy"];
                    };
                };
            };
            400: components["responses"]["BodyOnGet"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, auditor, or its token is limited to scopes that do not cover retention:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    putRetention: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @default captured
                     * @enum {string}
                     */
                    basis?: "captured" | "received";
                    scansYears: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RetentionPolicy"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover retention:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getRetentionHolds: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        holds: {
                            hold: boolean;
                            /** @description The patient as the record names them; null for roles that see pseudonymous ids only (auditor) */
                            name: {
                                birthDate: string | null;
                                firstName: string | null;
                                lastName: string | null;
                            } | null;
                            patient: string;
                            placedAt: string | null;
                            placedBy: string | null;
                            reason: string | null;
                        }[];
                    };
                };
            };
            400: components["responses"]["BodyOnGet"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, auditor, or its token is limited to scopes that do not cover retention:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postRetentionPurge: {
        parameters: {
            query?: {
                /** @description true (the default): only list what would be removed */
                dryRun?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Scans dated before this day are expired */
                        cutoff: string;
                        dryRun: boolean;
                        /** @description Expired scans kept because their patient is on legal hold */
                        held: number;
                        /** @description Photos, by the same policy and cutoff */
                        images: {
                            /** @description Expired photos kept because their patient is on legal hold */
                            held: number;
                            /** @description The first 1000 */
                            list: components["schemas"]["PurgedItem"][];
                            purged: number;
                        };
                        policy: components["schemas"]["RetentionPolicy"];
                        purged: number;
                        /** @description The first 1000 */
                        scans: components["schemas"]["PurgedItem"][];
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover retention:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getReview: {
        parameters: {
            query?: {
                /** @description The `next` value of the previous page */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        next: string | null;
                        visits: {
                            date: string;
                            /** @description Largest 95th percentile and largest maximum of the visit's comparisons with earlier scans; null when none ran */
                            deviationMm: {
                                max: number;
                                p95: number;
                            } | null;
                            jaws: string[];
                            /** @description Set when a reviewed visit got a new scan and is pending again */
                            lastReviewedBy: string | null;
                            patient: {
                                birthDate: string | null;
                                firstName: string | null;
                                /** @description Pseudonymous patient id */
                                id: string;
                                lastName: string | null;
                            };
                            photos: number;
                            /** @description Scans in the visit (the newest version of a re-export counts once) */
                            scans: number;
                            title: string | null;
                            verdicts: {
                                /** @description fail verdicts and rejected files */
                                fail: number;
                                ok: number;
                                /** @description not validated yet */
                                pending: number;
                                warn: number;
                            };
                            visit: number;
                        }[];
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover review:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postReviewLinks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default 60 */
                    expiresInMinutes?: number;
                    /** @description The practice software's patient number, system:value */
                    externalId?: string;
                    patientId?: string;
                    /** Format: uuid */
                    scanUid?: string;
                    visitId?: number;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        expiresAt: string;
                        /** @description The patient the link is limited to (pseudonymous id) */
                        patient: string;
                        /** @description What it opens: patient:<id>, visit:<id> or scan:<uid> */
                        target: string;
                        /** @description https://<host>:<port>/review/l/<signed>: api.publicUrl when set, else the address this request reached */
                        url: string;
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover review:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getScans: {
        parameters: {
            query?: {
                /** @description The `next` value of the previous page */
                cursor?: string;
                folder?: string;
                /** @description Received at or after */
                from?: string;
                jaw?: "upper" | "lower" | "bite" | "other";
                limit?: number;
                order?: "asc" | "desc";
                /** @description Pseudonymous patient id */
                patient?: string;
                sort?: "received" | "captured";
                /** @description validated: every scan that passed validation, analysed ones included; analysed: those whose analyses have all ended */
                status?: "received" | "validated" | "rejected" | "analysed";
                /** @description Received before */
                to?: string;
                /** @description Only scans not assigned to a patient */
                unassigned?: "true" | "false";
                verdict?: "ok" | "warn" | "fail";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        next: string | null;
                        scans: components["schemas"]["Scan"][];
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover scans:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postScans: {
        parameters: {
            query?: {
                capturedAt?: string;
                jaw?: "upper" | "lower" | "bite" | "other";
                /** @description The file name (or send it in X-Filename) */
                name?: string;
                /** @description Pseudonymous id of the patient the scan belongs to */
                patient?: string;
            };
            header?: {
                /** @description The file name, percent-encoded (encodeURIComponent); or send ?name= */
                "X-Filename"?: string;
            };
            path?: never;
            cookie?: never;
        };
        /** @description The scan file's bytes as the scanner wrote them (STL, PLY, OBJ, glTF/GLB or a ZIP of them); name it in X-Filename or ?name= */
        requestBody: {
            content: {
                "application/octet-stream": unknown;
                "application/ply": unknown;
                "application/sla": unknown;
                "application/vnd.ms-pki.stl": unknown;
                "model/*": unknown;
                "text/plain": unknown;
            };
        };
        responses: {
            /** @description The same bytes are stored already (duplicate: true) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScanUpload"];
                };
            };
            /** @description Stored */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScanUpload"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover scans:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The file is larger than this server accepts (api.maxUploadBytes) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The Content-Type is not one of application/octet-stream, model/*, application/sla, application/vnd.ms-pki.stl, application/ply, text/plain, or the body is compressed */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The file cannot be read as a scan: the message says why */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            /** @description As many uploads are running as api.maxConcurrentUploads allows: Retry-After says when to send again */
            503: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            default: components["responses"]["ServerError"];
        };
    };
    getScansUid: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        arrivals: {
                            arrivedAt: string;
                            duplicate: boolean;
                            folder: string | null;
                            originalName: string;
                        }[];
                        artifacts: {
                            kind: string;
                            mediaType: string;
                            size: number | null;
                        }[];
                        capturedAt: string | null;
                        format: string;
                        /** @enum {string} */
                        jaw: "upper" | "lower" | "bite" | "other";
                        jobs: {
                            error: string | null;
                            id: number;
                            kind: string;
                            progress: number;
                            state: string;
                        }[];
                        /** @description Pseudonymous patient id (GET /patients/{id} for the person); null while unassigned */
                        patient: string | null;
                        /** @description Why a scan was rejected, or why its verdict is warn or fail (null for ok) */
                        reason: string | null;
                        receivedAt: string;
                        /** @description The reports by kind: validation (documented), preview, comparison, thickness, occlusion, … */
                        reports: {
                            validation?: components["schemas"]["MeshReport"];
                        } & {
                            [key: string]: unknown;
                        };
                        sha256: string;
                        size: number;
                        source: components["schemas"]["ScanSource"];
                        /** @enum {string} */
                        status: "received" | "validated" | "rejected" | "analysed";
                        /** @description uid of the earlier version this re-export replaces */
                        supersedes: string | null;
                        /** @description The scan id used everywhere in the API */
                        uid: string;
                        updatedAt: string;
                        verdict: ("ok" | "warn" | "fail") | null;
                        version: number;
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover scans:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getScansUidAnnotations: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnnotationList"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover annotations:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postScansUidAnnotations: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uid: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewAnnotation"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Annotation"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover annotations:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getScansUidArtifactsKind: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                uid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": string;
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover scans:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getScansUidConverted: {
        parameters: {
            query: {
                /** @description STL and PLY: the ASCII variant */
                ascii?: "true" | "false";
                format: "stl" | "ply" | "obj" | "glb";
            };
            header?: never;
            path: {
                uid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": string;
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover scans:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The scan was rejected when checked: it cannot be converted */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            /** @description Conversions need the job workers, which are not running here */
            503: {
                headers: {
                    /** @description Seconds to wait */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            default: components["responses"]["ServerError"];
        };
    };
    getScansUidIdentity: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScanIdentitySources"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover identity:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postScansUidJobs: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uid: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    kind: "validate" | "derive" | "compare" | "analyse";
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: number;
                        kind: string;
                        state: string;
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover jobs:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The job cannot run for this scan: a rejected scan runs only validate, a comparison needs an earlier validated scan of the jaw */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postScansUidLinks: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uid: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default 300 */
                    ttlSeconds?: number;
                    /** @description 'original', 'converted:glb' (any converted:<format>[-ascii]), or an artifact kind */
                    what: "original" | string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        expiresAt: string;
                        /** @description Absolute when api.publicUrl is set (https://…/api/v1/links/…), else the path and query below the server root */
                        url: string;
                        what: string;
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover scans:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getScansUidOriginal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": string;
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover scans:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    putScansUidPatient: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                uid: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: date */
                    capturedAt?: string;
                    /** @enum {string} */
                    jaw?: "upper" | "lower" | "bite" | "other";
                    /**
                     * @description Move a scan filed under another patient (a misfiled scan) to this one; without it such a scan is a 409
                     * @constant
                     */
                    move?: true;
                    patient: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        capturedAt: string | null;
                        format: string;
                        /** @enum {string} */
                        jaw: "upper" | "lower" | "bite" | "other";
                        /** @description Pseudonymous patient id (GET /patients/{id} for the person); null while unassigned */
                        patient: string | null;
                        /** @description The analysis jobs this assignment queued */
                        queued: {
                            id: number;
                            kind: string;
                            scan: string;
                        }[];
                        /** @description Why a scan was rejected, or why its verdict is warn or fail (null for ok) */
                        reason: string | null;
                        receivedAt: string;
                        sha256: string;
                        size: number;
                        source: components["schemas"]["ScanSource"];
                        /** @enum {string} */
                        status: "received" | "validated" | "rejected" | "analysed";
                        /** @description uid of the earlier version this re-export replaces */
                        supersedes: string | null;
                        /** @description The scan id used everywhere in the API */
                        uid: string;
                        updatedAt: string;
                        verdict: ("ok" | "warn" | "fail") | null;
                        version: number;
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover scans:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The scan belongs to another patient (send "move": true to move a misfiled scan), or that patient is on legal hold */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            400: components["responses"]["BodyOnGet"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, auditor, or its token is limited to scopes that do not cover session:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description An API token (cusp token create) */
                    token: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["TokenRefused"];
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    deleteSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, auditor, or its token is limited to scopes that do not cover session:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getSystemStorage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The encrypted database file and its write-ahead log */
                        database: {
                            bytes: number;
                            walBytes: number;
                        };
                        /** @description Space of the file system holding the data folder (free: what the daemon may still use) */
                        dataDir: {
                            freeBytes: number;
                            totalBytes: number;
                        };
                    };
                };
            };
            400: components["responses"]["BodyOnGet"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover maintenance:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    deleteTokensId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, or its token is limited to scopes that do not cover principals:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The token is revoked already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postVisits: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: date */
                    date: string;
                    patient: string;
                    /**
                     * @description Scans of this patient to move into the new visit
                     * @default []
                     */
                    scans?: string[];
                    title?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VisitWithScans"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover visits:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getVisitsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        annotations: components["schemas"]["Annotation"][];
                        createdAt: string;
                        date: string;
                        id: number;
                        /** @description Pseudonymous patient id */
                        patient: string;
                        review: components["schemas"]["VisitReview"];
                        scans: components["schemas"]["Scan"][];
                        /** @description What the appointment was, e.g. "aligner check-in 4" */
                        title: string | null;
                        updatedAt: string;
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover visits:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    patchVisitsId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: date
                     * @description The appointment day; its scans keep their capture times
                     */
                    date?: string;
                    /** @description null clears it */
                    title?: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VisitWithScans"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover visits:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getVisitsIdAnnotations: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnnotationList"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover annotations:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postVisitsIdAnnotations: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewAnnotation"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Annotation"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover annotations:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    getVisitsIdImages: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        images: components["schemas"]["Image"][];
                        patient: string;
                        visit: number;
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover images:read */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postVisitsIdMove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Photo uids (GET /visits/{id}/images) */
                    images?: string[];
                    scans?: string[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VisitWithScans"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover visits:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description A scan or photo named is not this patient's */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postVisitsIdReview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    note?: string;
                    /**
                     * @description reviewed: looked at, nothing to do; flagged: needs follow-up; pending: back into the queue
                     * @enum {string}
                     */
                    state: "pending" | "reviewed" | "flagged";
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VisitDetail"];
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover review:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
    postVisitsIdSplit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: date
                     * @description Default: the visit's own date
                     */
                    date?: string;
                    scans: string[];
                    title?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        from: components["schemas"]["VisitWithScans"];
                        to: components["schemas"]["VisitWithScans"];
                    };
                };
            };
            400: components["responses"]["InvalidInput"];
            401: components["responses"]["Unauthorized"];
            /** @description The caller's role is not one of admin, clinician, integration, or its token is limited to scopes that do not cover visits:write */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description A scan named is not in this visit, or the split would leave the visit empty */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 1mb */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            415: components["responses"]["NotJson"];
            429: components["responses"]["RateLimited"];
            default: components["responses"]["ServerError"];
        };
    };
}
