-- Demo content: the clinic's details (domain/clinic.h keys), so that the demo shows a person to
-- reach. Only what was never set: an administrator's edits survive a restart with --demo. The
-- numbers are in the 555-01xx range, reserved for fiction.
INSERT INTO settings (key, value) VALUES
    ('clinic_name', 'Pecan Haven Intensive Outpatient Program'),
    ('clinic_phone', '(555) 010-0100'),
    ('clinic_hours', 'Monday to Friday, 8 am to 7 pm; Saturday, 9 am to 1 pm'),
    ('clinic_address', '1200 Pecan Street, Suite 300
Austin, TX 78701'),
    ('clinic_after_hours', 'After hours, call or text 988 (the Suicide and Crisis Lifeline) any time, day or night. If a life is in danger, call 911. Leave us a message and we call you back the next morning.'),
    ('clinic_levels', 'php,iop,outpatient,early-intervention')
ON CONFLICT (key) DO NOTHING;
