'use client';

import { useId, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { ChoiceList } from './choice-list.tsx';
import { useUiText } from './ui-text-context.tsx';
import styles from './mdx-palette.module.css';

/**
 * `<Quiz question options answer>explanation</Quiz>`: a multiple-choice check of understanding.
 * Props:
 * - `question` (string, required): the question.
 * - `options` (string[], required): the choices, in display order.
 * - `answer` (number, required): index of the correct choice in `options`, counting from 0.
 * - children (optional): the explanation, shown once the learner answers correctly or gives up.
 */
export function Quiz({
  question,
  options,
  answer,
  children,
}: {
  question: string;
  options: string[];
  answer: number;
  children?: ReactNode;
}) {
  const t = useUiText();
  const name = useId();
  const [choice, setChoice] = useState<number | null>(null);
  const [verdict, setVerdict] = useState<'correct' | 'wrong' | 'revealed' | null>(null);
  const done = verdict === 'correct' || verdict === 'revealed';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (choice !== null) setVerdict(choice === answer ? 'correct' : 'wrong');
  };

  return (
    <form className={styles.quiz} onSubmit={submit}>
      <fieldset disabled={done}>
        <legend className={styles.quizQuestion}>{question}</legend>
        <ChoiceList
          name={name}
          options={options}
          answer={answer}
          reveal={done}
          chosen={choice}
          onChoose={(index) => {
            setChoice(index);
            if (verdict === 'wrong') setVerdict(null);
          }}
        />
      </fieldset>
      {!done && (
        <div className={styles.quizActions}>
          <button type="submit" className="btn btn-primary" disabled={choice === null}>
            {t.quiz.check}
          </button>
          {verdict === 'wrong' && (
            <button type="button" className="btn btn-ghost" onClick={() => setVerdict('revealed')}>
              {t.quiz.showAnswer}
            </button>
          )}
        </div>
      )}
      <div role="status" className={styles.quizFeedback}>
        {verdict === 'correct' && <p className={styles.quizCorrect}>{t.quiz.correct}</p>}
        {verdict === 'wrong' && <p className={styles.quizWrong}>{t.quiz.wrong}</p>}
        {verdict === 'revealed' && <p>{t.quiz.answerWas}</p>}
      </div>
      {done && children && <div className={styles.quizExplanation}>{children}</div>}
    </form>
  );
}
