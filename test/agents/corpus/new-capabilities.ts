import { cases } from './types.js';

const STORY =
  'The city council approved the new park budget on Monday. The park will have a playground, a lake and a garden. ' +
  'Council members said the park budget was the largest in ten years. Local families welcomed the park plan. ' +
  'Construction of the park starts in spring and the playground opens first. The weather was cold that day.';

export const newCapabilities = cases([
  // Language detection.
  ['What language is this: Le renard brun rapide saute par-dessus le chien paresseux.', 'French', 'language'],
  ['Detect the language of: Der schnelle braune Fuchs springt über den faulen Hund.', 'German', 'language'],
  ['which language is this text written in: "El rápido zorro marrón salta sobre el perro perezoso."', 'Spanish', 'language'],
  ['identify the language: Il gatto dorme sul divano tutto il giorno mentre piove fuori.', 'Italian', 'language'],
  ['what language is this: hola amigo', null],
  ['Translate into German: the quick brown fox', null],
  // Readability.
  ['readability of: The cat sat on the mat. It was a sunny day, and everyone was happy about the weather.', 'Flesch reading ease: 87.7', 'readability'],
  [
    'How readable is this text: "The cat sat on the mat. It was a sunny day, and everyone was happy about the weather."',
    'Flesch-Kincaid grade: 3.3',
    'readability',
  ],
  ['Flesch score for: short text', null],
  ['Make this text more readable: The cat sat on the mat and it was a very sunny day indeed.', null],
  // Keywords.
  ['extract keywords from: The quick brown fox jumps over the lazy dog and the fox runs away from the dog.', /^fox \(2\), dog \(2\)/, 'keywords'],
  ['what are the keywords of this text: ' + STORY, /^park \(5\), council \(2\)/, 'keywords'],
  ['Write keywords for my blog post about cooking', null],
  // Sentiment.
  ['What is the sentiment of: I love this product, it is amazing!', 'Positive', 'sentiment'],
  ['Analyze the sentiment of this review: "Terrible service, the food was awful and cold."', 'Negative', 'sentiment'],
  ['is this review positive or negative: the hotel was great but the breakfast was bad', /^(?:Positive|Mixed)/, 'sentiment'],
  ['sentiment: The meeting is at 3 pm in room 4.', 'Neutral', 'sentiment'],
  ['Write a Python function for sentiment analysis', null],
  // Named entities.
  [
    'Extract the named entities from: Barack Obama met Angela Merkel in Berlin and paid $5 to Google.',
    (o) => /people: .*Barack Obama.*Angela Merkel/.test(o) && /places: Berlin/.test(o) && /organisations: .*Google/.test(o),
    'entities',
  ],
  [
    'find the people and places in: Marie Curie was born in Warsaw and worked in Paris.',
    (o) => o.includes('Marie Curie') && o.includes('Warsaw') && o.includes('Paris'),
    'entities',
  ],
  ['Who is Angela Merkel?', null],
  // Extractive summary.
  ['Summarize this text: ' + STORY, (o) => o.length < STORY.length && STORY.includes(o.split('. ')[0]!), 'summary'],
  ['tl;dr: ' + STORY, (o) => o.includes('park'), 'summary'],
  ['Summarize: It rained.', null],
  ['Summarize the plot of Hamlet', null],
  // Spelling.
  [
    'Check the spelling of: I recieve teh package tomorow',
    (o) => /recieve → .*receive/.test(o) && /teh → /.test(o) && /tomorow → .*tomorrow/.test(o),
    'spelling',
  ],
  ['spell check: The quick brown fox jumps over the lazy dog', 'No spelling mistakes found', 'spelling'],
  ['any typos in "Definately a grate idea"?', /Definately → .*Definitely/, 'spelling'],
  ['Check the grammar of: me and him goes to school', null],
  // JSON Schema.
  [
    'Validate this JSON {"name": "Ada", "age": 36} against the schema {"type": "object", "required": ["name", "age"], "properties": {"age": {"type": "integer"}}}',
    'Valid',
    'json-schema',
  ],
  [
    'Does {"name": "Ada", "age": "old"} match the schema {"type": "object", "properties": {"age": {"type": "integer"}}}?',
    /^Invalid: 1 error\n\/age must be integer/,
    'json-schema',
  ],
  [
    'Schema: ```{"type": "object", "properties": {"email": {"type": "string", "format": "email"}}}``` Document: ```{"email": "not-an-email"}``` is it valid?',
    /Invalid[\s\S]*\/email must match format "email"/,
    'json-schema',
  ],
  ['validate {"a": 1} and {"b": 2} with a schema', null],
  ['Write a JSON schema for a user object', null],
  // Diff.
  ['diff "the quick brown fox" and "the quick red fox"', 'the quick [-brown-]{+red+} fox', 'diff'],
  ['Compare these two texts: ```\nalpha\nbeta\ngamma\n``` ```\nalpha\ndelta\ngamma\n```', '  alpha\n- beta\n+ delta\n  gamma', 'diff'],
  ['what changed between "v1 release" and "v1 release"', 'No differences', 'diff'],
  ['What is the difference between a list and a tuple in Python?', null],
]);
