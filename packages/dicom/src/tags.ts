/**
 * The part of the data dictionary (PS3.6) this platform relies on: what the archive indexes, what QIDO-RS matches
 * on, what the generator writes and what de-identification touches. Implicit VR files carry no VR, so the reader
 * looks VRs up here; a tag missing from this table reads as UN, which keeps its bytes intact (as InlineBinary or
 * bulk data) rather than guessing.
 */

/** [tag as 8 upper-case hex digits, VR, keyword]. Where PS3.6 allows two VRs, the one implicit VR files use. */
const ENTRIES = [
  // File Meta Information (PS3.10 7.1), always explicit VR little endian.
  ['00020000', 'UL', 'FileMetaInformationGroupLength'],
  ['00020001', 'OB', 'FileMetaInformationVersion'],
  ['00020002', 'UI', 'MediaStorageSOPClassUID'],
  ['00020003', 'UI', 'MediaStorageSOPInstanceUID'],
  ['00020010', 'UI', 'TransferSyntaxUID'],
  ['00020012', 'UI', 'ImplementationClassUID'],
  ['00020013', 'SH', 'ImplementationVersionName'],
  ['00020016', 'AE', 'SourceApplicationEntityTitle'],
  ['00020017', 'AE', 'SendingApplicationEntityTitle'],
  ['00020018', 'AE', 'ReceivingApplicationEntityTitle'],
  ['00020100', 'UI', 'PrivateInformationCreatorUID'],
  ['00020102', 'OB', 'PrivateInformation'],
  // SOP common, study, series, equipment.
  ['00080005', 'CS', 'SpecificCharacterSet'],
  ['00080008', 'CS', 'ImageType'],
  ['00080012', 'DA', 'InstanceCreationDate'],
  ['00080013', 'TM', 'InstanceCreationTime'],
  ['00080014', 'UI', 'InstanceCreatorUID'],
  ['00080016', 'UI', 'SOPClassUID'],
  ['00080018', 'UI', 'SOPInstanceUID'],
  ['00080020', 'DA', 'StudyDate'],
  ['00080021', 'DA', 'SeriesDate'],
  ['00080022', 'DA', 'AcquisitionDate'],
  ['00080023', 'DA', 'ContentDate'],
  ['0008002A', 'DT', 'AcquisitionDateTime'],
  ['00080030', 'TM', 'StudyTime'],
  ['00080031', 'TM', 'SeriesTime'],
  ['00080032', 'TM', 'AcquisitionTime'],
  ['00080033', 'TM', 'ContentTime'],
  ['00080050', 'SH', 'AccessionNumber'],
  ['00080051', 'SQ', 'IssuerOfAccessionNumberSequence'],
  ['00080054', 'AE', 'RetrieveAETitle'],
  ['00080056', 'CS', 'InstanceAvailability'],
  ['00080060', 'CS', 'Modality'],
  ['00080061', 'CS', 'ModalitiesInStudy'],
  ['00080062', 'UI', 'SOPClassesInStudy'],
  ['00080064', 'CS', 'ConversionType'],
  ['00080068', 'CS', 'PresentationIntentType'],
  ['00080070', 'LO', 'Manufacturer'],
  ['00080080', 'LO', 'InstitutionName'],
  ['00080081', 'ST', 'InstitutionAddress'],
  ['00080082', 'SQ', 'InstitutionCodeSequence'],
  ['00080090', 'PN', 'ReferringPhysicianName'],
  ['00080092', 'ST', 'ReferringPhysicianAddress'],
  ['00080094', 'SH', 'ReferringPhysicianTelephoneNumbers'],
  ['00080096', 'SQ', 'ReferringPhysicianIdentificationSequence'],
  ['00080100', 'SH', 'CodeValue'],
  ['00080102', 'SH', 'CodingSchemeDesignator'],
  ['00080103', 'SH', 'CodingSchemeVersion'],
  ['00080104', 'LO', 'CodeMeaning'],
  ['00080201', 'SH', 'TimezoneOffsetFromUTC'],
  ['00081010', 'SH', 'StationName'],
  ['00081030', 'LO', 'StudyDescription'],
  ['00081032', 'SQ', 'ProcedureCodeSequence'],
  ['0008103E', 'LO', 'SeriesDescription'],
  ['00081040', 'LO', 'InstitutionalDepartmentName'],
  ['00081048', 'PN', 'PhysiciansOfRecord'],
  ['00081050', 'PN', 'PerformingPhysicianName'],
  ['00081060', 'PN', 'NameOfPhysiciansReadingStudy'],
  ['00081070', 'PN', 'OperatorsName'],
  ['00081080', 'LO', 'AdmittingDiagnosesDescription'],
  ['00081090', 'LO', 'ManufacturerModelName'],
  ['00081110', 'SQ', 'ReferencedStudySequence'],
  ['00081111', 'SQ', 'ReferencedPerformedProcedureStepSequence'],
  ['00081115', 'SQ', 'ReferencedSeriesSequence'],
  ['00081120', 'SQ', 'ReferencedPatientSequence'],
  ['00081140', 'SQ', 'ReferencedImageSequence'],
  ['00081150', 'UI', 'ReferencedSOPClassUID'],
  ['00081155', 'UI', 'ReferencedSOPInstanceUID'],
  ['00081190', 'UR', 'RetrieveURL'],
  ['00081196', 'US', 'WarningReason'],
  ['00081197', 'US', 'FailureReason'],
  ['00081198', 'SQ', 'FailedSOPSequence'],
  ['00081199', 'SQ', 'ReferencedSOPSequence'],
  ['0008119A', 'SQ', 'OtherFailuresSequence'],
  ['00082111', 'ST', 'DerivationDescription'],
  ['00082112', 'SQ', 'SourceImageSequence'],
  ['00089215', 'SQ', 'DerivationCodeSequence'],
  // Patient.
  ['00100010', 'PN', 'PatientName'],
  ['00100020', 'LO', 'PatientID'],
  ['00100021', 'LO', 'IssuerOfPatientID'],
  ['00100030', 'DA', 'PatientBirthDate'],
  ['00100032', 'TM', 'PatientBirthTime'],
  ['00100040', 'CS', 'PatientSex'],
  ['00101000', 'LO', 'OtherPatientIDs'],
  ['00101001', 'PN', 'OtherPatientNames'],
  ['00101002', 'SQ', 'OtherPatientIDsSequence'],
  ['00101005', 'PN', 'PatientBirthName'],
  ['00101010', 'AS', 'PatientAge'],
  ['00101020', 'DS', 'PatientSize'],
  ['00101030', 'DS', 'PatientWeight'],
  ['00101040', 'LO', 'PatientAddress'],
  ['00101060', 'PN', 'PatientMotherBirthName'],
  ['00101080', 'LO', 'MilitaryRank'],
  ['00101081', 'LO', 'BranchOfService'],
  ['00101090', 'LO', 'MedicalRecordLocator'],
  ['00102150', 'LO', 'CountryOfResidence'],
  ['00102152', 'LO', 'RegionOfResidence'],
  ['00102154', 'SH', 'PatientTelephoneNumbers'],
  ['00102160', 'SH', 'EthnicGroup'],
  ['00102180', 'SH', 'Occupation'],
  ['001021B0', 'LT', 'AdditionalPatientHistory'],
  ['00104000', 'LT', 'PatientComments'],
  ['00120062', 'CS', 'PatientIdentityRemoved'],
  ['00120063', 'LO', 'DeidentificationMethod'],
  ['00120064', 'SQ', 'DeidentificationMethodCodeSequence'],
  // Acquisition.
  ['00180010', 'LO', 'ContrastBolusAgent'],
  ['00180015', 'CS', 'BodyPartExamined'],
  ['00180020', 'CS', 'ScanningSequence'],
  ['00180021', 'CS', 'SequenceVariant'],
  ['00180022', 'CS', 'ScanOptions'],
  ['00180023', 'CS', 'MRAcquisitionType'],
  ['00180050', 'DS', 'SliceThickness'],
  ['00180060', 'DS', 'KVP'],
  ['00180080', 'DS', 'RepetitionTime'],
  ['00180081', 'DS', 'EchoTime'],
  ['00180082', 'DS', 'InversionTime'],
  ['00180083', 'DS', 'NumberOfAverages'],
  ['00180084', 'DS', 'ImagingFrequency'],
  ['00180085', 'SH', 'ImagedNucleus'],
  ['00180086', 'IS', 'EchoNumbers'],
  ['00180087', 'DS', 'MagneticFieldStrength'],
  ['00180088', 'DS', 'SpacingBetweenSlices'],
  ['00180090', 'DS', 'DataCollectionDiameter'],
  ['00180091', 'IS', 'EchoTrainLength'],
  ['00181000', 'LO', 'DeviceSerialNumber'],
  ['00181020', 'LO', 'SoftwareVersions'],
  ['00181030', 'LO', 'ProtocolName'],
  ['00181100', 'DS', 'ReconstructionDiameter'],
  ['00181120', 'DS', 'GantryDetectorTilt'],
  ['00181130', 'DS', 'TableHeight'],
  ['00181150', 'IS', 'ExposureTime'],
  ['00181151', 'IS', 'XRayTubeCurrent'],
  ['00181152', 'IS', 'Exposure'],
  ['00181160', 'SH', 'FilterType'],
  ['00181210', 'SH', 'ConvolutionKernel'],
  ['00181314', 'DS', 'FlipAngle'],
  ['00185100', 'CS', 'PatientPosition'],
  // Relationship and image plane.
  ['0020000D', 'UI', 'StudyInstanceUID'],
  ['0020000E', 'UI', 'SeriesInstanceUID'],
  ['00200010', 'SH', 'StudyID'],
  ['00200011', 'IS', 'SeriesNumber'],
  ['00200012', 'IS', 'AcquisitionNumber'],
  ['00200013', 'IS', 'InstanceNumber'],
  ['00200020', 'CS', 'PatientOrientation'],
  ['00200032', 'DS', 'ImagePositionPatient'],
  ['00200037', 'DS', 'ImageOrientationPatient'],
  ['00200052', 'UI', 'FrameOfReferenceUID'],
  ['00200060', 'CS', 'Laterality'],
  ['00201002', 'IS', 'ImagesInAcquisition'],
  ['00201040', 'LO', 'PositionReferenceIndicator'],
  ['00201041', 'DS', 'SliceLocation'],
  ['00201206', 'IS', 'NumberOfStudyRelatedSeries'],
  ['00201208', 'IS', 'NumberOfStudyRelatedInstances'],
  ['00201209', 'IS', 'NumberOfSeriesRelatedInstances'],
  ['00204000', 'LT', 'ImageComments'],
  // Image pixel and presentation.
  ['00280002', 'US', 'SamplesPerPixel'],
  ['00280004', 'CS', 'PhotometricInterpretation'],
  ['00280006', 'US', 'PlanarConfiguration'],
  ['00280008', 'IS', 'NumberOfFrames'],
  ['00280009', 'AT', 'FrameIncrementPointer'],
  ['00280010', 'US', 'Rows'],
  ['00280011', 'US', 'Columns'],
  ['00280030', 'DS', 'PixelSpacing'],
  ['00280034', 'IS', 'PixelAspectRatio'],
  ['00280100', 'US', 'BitsAllocated'],
  ['00280101', 'US', 'BitsStored'],
  ['00280102', 'US', 'HighBit'],
  ['00280103', 'US', 'PixelRepresentation'],
  ['00280106', 'US', 'SmallestImagePixelValue'],
  ['00280107', 'US', 'LargestImagePixelValue'],
  ['00280120', 'US', 'PixelPaddingValue'],
  ['00280301', 'CS', 'BurnedInAnnotation'],
  ['00280303', 'CS', 'LongitudinalTemporalInformationModified'],
  ['00281050', 'DS', 'WindowCenter'],
  ['00281051', 'DS', 'WindowWidth'],
  ['00281052', 'DS', 'RescaleIntercept'],
  ['00281053', 'DS', 'RescaleSlope'],
  ['00281054', 'LO', 'RescaleType'],
  ['00281055', 'LO', 'WindowCenterWidthExplanation'],
  ['00281101', 'US', 'RedPaletteColorLookupTableDescriptor'],
  ['00281102', 'US', 'GreenPaletteColorLookupTableDescriptor'],
  ['00281103', 'US', 'BluePaletteColorLookupTableDescriptor'],
  ['00281201', 'OW', 'RedPaletteColorLookupTableData'],
  ['00281202', 'OW', 'GreenPaletteColorLookupTableData'],
  ['00281203', 'OW', 'BluePaletteColorLookupTableData'],
  ['00282110', 'CS', 'LossyImageCompression'],
  ['00282112', 'DS', 'LossyImageCompressionRatio'],
  ['00282114', 'CS', 'LossyImageCompressionMethod'],
  ['00283000', 'SQ', 'ModalityLUTSequence'],
  ['00283002', 'US', 'LUTDescriptor'],
  ['00283003', 'LO', 'LUTExplanation'],
  ['00283006', 'US', 'LUTData'],
  ['00283010', 'SQ', 'VOILUTSequence'],
  // Request and procedure.
  ['00321032', 'PN', 'RequestingPhysician'],
  ['00321033', 'LO', 'RequestingService'],
  ['00321060', 'LO', 'RequestedProcedureDescription'],
  ['00321064', 'SQ', 'RequestedProcedureCodeSequence'],
  ['00324000', 'LT', 'StudyComments'],
  ['00400009', 'SH', 'ScheduledProcedureStepID'],
  ['00400244', 'DA', 'PerformedProcedureStepStartDate'],
  ['00400245', 'TM', 'PerformedProcedureStepStartTime'],
  ['00400253', 'SH', 'PerformedProcedureStepID'],
  ['00400254', 'LO', 'PerformedProcedureStepDescription'],
  ['00400275', 'SQ', 'RequestAttributesSequence'],
  ['00401001', 'SH', 'RequestedProcedureID'],
  ['0040A010', 'CS', 'RelationshipType'],
  ['0040A040', 'CS', 'ValueType'],
  ['0040A043', 'SQ', 'ConceptNameCodeSequence'],
  ['0040A124', 'UI', 'UID'],
  ['0040A160', 'UT', 'TextValue'],
  ['0040A730', 'SQ', 'ContentSequence'],
  ['00420010', 'ST', 'DocumentTitle'],
  ['00420011', 'OB', 'EncapsulatedDocument'],
  ['00420012', 'LO', 'MIMETypeOfEncapsulatedDocument'],
  ['00700084', 'PN', 'ContentCreatorName'],
  // Pixel data and trailers.
  ['7FE00001', 'OV', 'ExtendedOffsetTable'],
  ['7FE00002', 'OV', 'ExtendedOffsetTableLengths'],
  ['7FE00008', 'OF', 'FloatPixelData'],
  ['7FE00009', 'OD', 'DoubleFloatPixelData'],
  ['7FE00010', 'OW', 'PixelData'],
  ['FFFAFFFA', 'SQ', 'DigitalSignaturesSequence'],
  ['FFFCFFFC', 'OB', 'DataSetTrailingPadding'],
] as const satisfies readonly (readonly [string, string, string])[];

/** A keyword this dictionary knows, e.g. 'PatientName'. */
export type Keyword = (typeof ENTRIES)[number][2];

/** One dictionary entry. */
export interface TagInfo {
  keyword: string;
  /** 8 upper-case hex digits, group then element, as in DICOM JSON keys. */
  tag: string;
  vr: string;
}

/** Tag of each known keyword, so code reads `Tag.PatientName` instead of a bare '00100010'. */
export const Tag = Object.fromEntries(ENTRIES.map(([tag, , keyword]) => [keyword, tag])) as {
  readonly [K in Keyword]: string;
};

const BY_TAG: ReadonlyMap<string, TagInfo> = new Map(
  ENTRIES.map(([tag, vr, keyword]) => [tag, { tag, vr, keyword }]),
);

/** Attributes PS3.6 gives as "US or SS": signed when Pixel Representation is 1. */
const PIXEL_VALUE_TAGS: ReadonlySet<string> = new Set(['00280106', '00280107', '00280120']);

/** Overlay attributes in the repeating groups 6000-601E (PS3.6 notes these as 60xx). */
const OVERLAY_VRS: ReadonlyMap<string, string> = new Map([
  ['0010', 'US'],
  ['0011', 'US'],
  ['0015', 'IS'],
  ['0022', 'LO'],
  ['0040', 'CS'],
  ['0050', 'SS'],
  ['0100', 'US'],
  ['0102', 'US'],
  ['1500', 'LO'],
  ['3000', 'OW'],
]);

/** Normalises '(0010,0010)', '0010,0010', 'x00100010' or '00100010' to '00100010'. */
export function normalizeTag(tag: string): string {
  return tag.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
}

/** Formats a tag for people: '00100010' becomes '(0010,0010)'. */
export function formatTag(tag: string): string {
  const t = normalizeTag(tag);
  return `(${t.slice(0, 4)},${t.slice(4, 8)})`;
}

/** The dictionary entry for a tag, or undefined when it is not one this platform names. */
export function tagInfo(tag: string): TagInfo | undefined {
  return BY_TAG.get(normalizeTag(tag));
}

/** Keyword of a tag, or undefined. */
export function keywordOf(tag: string): string | undefined {
  return BY_TAG.get(normalizeTag(tag))?.keyword;
}

/**
 * The VR an implicit VR reader should assume for a tag: the dictionary's, then the rules that need no table
 * (group lengths, private creators, overlays), and 'UN' for anything else so unknown bytes pass through untouched.
 * Pixel Representation resolves the "US or SS" attributes.
 */
export function vrOf(tag: string, pixelRepresentation = 0): string {
  const t = normalizeTag(tag);
  const known = BY_TAG.get(t);
  if (known) return PIXEL_VALUE_TAGS.has(t) && pixelRepresentation === 1 ? 'SS' : known.vr;
  const group = Number.parseInt(t.slice(0, 4), 16);
  const element = Number.parseInt(t.slice(4, 8), 16);
  if (element === 0) return 'UL';
  if (group % 2 === 1 && element >= 0x10 && element <= 0xff) return 'LO';
  if (group >= 0x6000 && group <= 0x601e && group % 2 === 0) return OVERLAY_VRS.get(t.slice(4, 8)) ?? 'UN';
  return 'UN';
}
