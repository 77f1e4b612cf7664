import { describe, expect, it } from 'vitest';
import { decidePresentationContext, refuseAssociation } from './negotiation.js';

const CT = '1.2.840.10008.5.1.4.1.1.2';
const IMPLICIT = '1.2.840.10008.1.2';
const EXPLICIT = '1.2.840.10008.1.2.1';
const BIG_ENDIAN = '1.2.840.10008.1.2.2';
const JPEG_LOSSLESS = '1.2.840.10008.1.2.4.70';

describe('association negotiation', () => {
  const policy = { aeTitle: 'TELEMED', allowedCallingAes: [] };

  it('accepts associations called to its AE title, ignoring space padding', () => {
    expect(refuseAssociation('TELEMED', 'CT01', policy)).toBeUndefined();
    expect(refuseAssociation('TELEMED   ', 'CT01', policy)).toBeUndefined();
  });

  it('refuses another called AE title, and calling AE titles outside the allowed list', () => {
    expect(refuseAssociation('ARCHIVE', 'CT01', policy)).toBe('called-ae-not-recognized');
    const strict = { aeTitle: 'TELEMED', allowedCallingAes: ['CT01'] };
    expect(refuseAssociation('TELEMED', 'CT01', strict)).toBeUndefined();
    expect(refuseAssociation('TELEMED', 'MR02', strict)).toBe('calling-ae-not-recognized');
  });

  it("takes the modality's preferred transfer syntax among those it accepts", () => {
    expect(decidePresentationContext(CT, [JPEG_LOSSLESS, EXPLICIT, IMPLICIT])).toEqual({
      result: 'accept',
      transferSyntaxUid: JPEG_LOSSLESS,
    });
    expect(decidePresentationContext(CT, [BIG_ENDIAN, IMPLICIT])).toEqual({
      result: 'accept',
      transferSyntaxUid: IMPLICIT,
    });
  });

  it('accepts any standard storage class and verification, and nothing else', () => {
    expect(decidePresentationContext('1.2.840.10008.5.1.4.1.1.66.4', [EXPLICIT]).result).toBe('accept');
    expect(decidePresentationContext('1.2.840.10008.1.1', [IMPLICIT]).result).toBe('accept');
    expect(decidePresentationContext('1.2.840.10008.1.1', [JPEG_LOSSLESS]).result).toBe(
      'transfer-syntaxes-not-supported',
    );
    // Study Root Query/Retrieve FIND: the gateway is no archive to query.
    expect(decidePresentationContext('1.2.840.10008.5.1.4.1.2.2.1', [IMPLICIT]).result).toBe(
      'abstract-syntax-not-supported',
    );
    expect(decidePresentationContext(CT, [BIG_ENDIAN]).result).toBe('transfer-syntaxes-not-supported');
  });
});
