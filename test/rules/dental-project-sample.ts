// A .dentalProject text for tests, modelled on exocad's exchange format as TRIOS/Medit write it (names invented).
export const DENTAL_PROJECT = `<?xml version="1.0" encoding="utf-8"?>
<DentalProject xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" Version="2">
  <Treatment>
    <ProjectGUID>5f0c2a4e-9b1d-4c3e-8f7a-2b6d9e1c4a70</ProjectGUID>
    <DateTime>2026-11-20T09:41:12.345+01:00</DateTime>
    <Patient>
      <PatientId>4711</PatientId>
      <PatientName>Müller-Lüdenscheidt</PatientName>
      <PatientFirstName>Hans  Jürgen</PatientFirstName>
      <PatientBirthday>1968-04-02</PatientBirthday>
    </Patient>
    <Practice>
      <PracticeId>12</PracticeId>
      <PracticeName>Praxis Dr. Weber &amp; Partner</PracticeName>
    </Practice>
    <Teeth>
      <Tooth>
        <Number>16</Number>
        <ReconstructionType>AnatomicCrown</ReconstructionType>
        <MaterialName>Zirkon</MaterialName>
      </Tooth>
    </Teeth>
  </Treatment>
</DentalProject>
`;
