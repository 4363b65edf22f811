'use client';

import { useEffect, useId, useRef } from 'react';
import type { ReactNode } from 'react';
import { choosePrediction, forgetPrediction } from '../../lib/client/lesson-progress.ts';
import { useLessonSession } from './lesson-session.tsx';
import { ChoiceList } from './choice-list.tsx';
import { useUiText } from './ui-text-context.tsx';
import styles from './mdx-palette.module.css';

/**
 * `<Predict id question options answer>explanation</Predict>`: the learner picks what they expect
 * before pressing Run (running without a pick is fine); once a run finishes, it says whether the
 * pick was right and shows the explanation. Remembered per lesson. Props:
 * - `id` (string, required): unique in the lesson, stable across edits (it keys the saved pick).
 * - `question` (string), `options` (string[]), `answer` (index into `options`, from 0).
 * - children: the explanation, shown after the run.
 */
export function Predict({
  id,
  question,
  options,
  answer,
  children,
}: {
  id: string;
  question: string;
  options: string[];
  answer: number;
  children?: ReactNode;
}) {
  const t = useUiText();
  const name = useId();
  const { progress, update, pending } = useLessonSession();
  const prediction = progress.predictions[id];
  const settled = prediction?.settled === true;
  const waiting = !settled && pending.includes(id);
  const right = settled && prediction.choice === answer;
  const choices = useRef<HTMLFieldSetElement>(null);
  const again = useRef(false);

  // "Predict again" disappears once pressed: the keyboard moves on to the first choice, not <body>.
  useEffect(() => {
    if (settled || !again.current) return;
    again.current = false;
    choices.current?.querySelector('input')?.focus();
  }, [settled]);

  const status = settled
    ? right
      ? t.predict.right
      : t.predict.wrong(options[answer] ?? '')
    : waiting
      ? t.predict.waiting
      : prediction
        ? t.predict.chosen
        : t.predict.prompt;

  return (
    <section className={styles.predict} aria-label={t.predict.label} data-testid={`predict-${id}`}>
      <p className={styles.predictLabel}>{t.predict.label}</p>
      <fieldset ref={choices} disabled={settled || waiting}>
        <legend className={styles.quizQuestion}>{question}</legend>
        <ChoiceList
          name={name}
          options={options}
          answer={answer}
          reveal={settled}
          chosen={prediction?.choice ?? null}
          onChoose={(index) => update((p) => choosePrediction(p, id, index))}
        />
      </fieldset>
      <div
        role="status"
        className={styles.quizFeedback}
        data-verdict={settled ? (right ? 'right' : 'wrong') : undefined}
      >
        <p
          className={
            settled ? (right ? styles.quizCorrect : styles.quizWrong) : styles.predictPrompt
          }
        >
          {status}
        </p>
      </div>
      {settled && children && <div className={styles.quizExplanation}>{children}</div>}
      {settled && (
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => {
            again.current = true;
            update((p) => forgetPrediction(p, id));
          }}
        >
          {t.predict.again}
        </button>
      )}
    </section>
  );
}
