import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './locales/en';
import { zh } from './locales/zh';

/** The languages the app speaks: Simplified Chinese first, English on request; `dir` readies right-to-left ones. */
export const LANGUAGES = [
  { code: 'zh', label: '中文', dir: 'ltr' },
  { code: 'en', label: 'English', dir: 'ltr' },
] as const;
export type LanguageCode = (typeof LANGUAGES)[number]['code'];

/** The same keys as `T`, every leaf a string: another language's messages must fill every key of the first. */
export type Translation<T> = { [K in keyof T]: T[K] extends string ? string : Translation<T[K]> };

const STORAGE_KEY = 'telemed.language';

function savedLanguage(): LanguageCode {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved === 'en' ? 'en' : 'zh';
}

void i18n.use(initReactI18next).init({
  resources: { zh: { translation: zh }, en: { translation: en } },
  lng: savedLanguage(),
  fallbackLng: 'zh',
  interpolation: { escapeValue: false },
});

/**
 * Adds a feature's messages under its own key (`t('upload.title')`), in every language at once. A feature calls it
 * when its chunk loads, so the sign-in page carries only the strings it shows.
 */
export function addMessages<T extends object>(key: string, messages: { zh: T; en: Translation<T> }): void {
  i18n.addResourceBundle('zh', 'translation', { [key]: messages.zh }, true, true);
  i18n.addResourceBundle('en', 'translation', { [key]: messages.en }, true, true);
}

/** The writing direction of a language: the page, Ant Design and the layout follow it. */
export function directionOf(code: string): 'ltr' | 'rtl' {
  return LANGUAGES.find((l) => l.code === code)?.dir ?? 'ltr';
}

function markDocument(code: LanguageCode): void {
  document.documentElement.lang = code === 'zh' ? 'zh-CN' : code;
  document.documentElement.dir = directionOf(code);
}
markDocument(savedLanguage());

/** Switches the language and remembers it on this computer. */
export function setLanguage(code: LanguageCode): void {
  localStorage.setItem(STORAGE_KEY, code);
  markDocument(code);
  void i18n.changeLanguage(code);
}

export default i18n;
