/** Strict options: unknown keys name the closest valid key; numbers are checked against their ranges. */
import { describe, expect, it } from 'vitest';
import { tensor } from '../../../src/lib/autodiff';
import { closestName } from '../../../src/lib/autodiff/options.ts';
import { adamStep, applyUpdates, momentumStep, sgdStep, unroll } from '../../../src/lib/meta';

describe('closestName, on the meta-learning options', () => {
  it('picks the valid key with the smallest edit distance', () => {
    expect(closestName('learningRate', ['lr', 'momentum'])).toBe('lr');
    expect(closestName('momentun', ['lr', 'momentum', 'dampening'])).toBe('momentum');
    expect(closestName('Beta_2', ['lr', 'beta1', 'beta2', 'eps'])).toBe('beta2');
    expect(closestName('maxiters', ['tol', 'atol', 'maxIter'])).toBe('maxIter');
  });
});

describe('optimizer step options', () => {
  it('unknown keys are errors naming the closest valid key and listing the valid ones', () => {
    expect(() => sgdStep({ lr: 0.1, momentum: 0.9 } as never)).toThrow("sgdStep: unknown option 'momentum' — did you mean 'lr'? (valid options: lr)");
    expect(() => momentumStep({ lr: 0.1, momentum: 0.9, nesterow: true } as never)).toThrow("momentumStep: unknown option 'nesterow' — did you mean 'nesterov'?");
    expect(() => adamStep({ lr: 0.1, betas: [0.9, 0.99] } as never)).toThrow("adamStep: unknown option 'betas' — did you mean 'beta1'? (valid options: lr, beta1, beta2, eps)");
    expect(() => adamStep({ lr: 0.1, epsilon: 1e-8 } as never)).toThrow("did you mean 'eps'?");
  });
  it('missing or non-object options are named', () => {
    expect(() => sgdStep({} as never)).toThrow('sgdStep: lr is required');
    expect(() => momentumStep({ lr: 0.1 } as never)).toThrow('momentumStep: momentum is required');
    expect(() => adamStep(undefined as never)).toThrow('adamStep: options must be an object, got undefined');
    expect(() => sgdStep(0.1 as never)).toThrow('sgdStep: options must be an object, got 0.1');
    expect(() => sgdStep(tensor(0.1) as never)).toThrow('sgdStep: options must be an object, got a tensor of shape []');
  });
  it('out-of-range and non-finite values are rejected with the range', () => {
    expect(() => sgdStep({ lr: -0.1 })).toThrow('sgdStep: lr must be a finite number ≥ 0, got -0.1');
    expect(() => sgdStep({ lr: Infinity })).toThrow('sgdStep: lr must be a finite number ≥ 0, got Infinity');
    expect(() => sgdStep({ lr: '0.1' as never })).toThrow("sgdStep: lr must be a finite number ≥ 0, got '0.1'");
    expect(() => momentumStep({ lr: 0.1, momentum: 1 })).toThrow('momentumStep: momentum must be a finite number in [0, 1), got 1');
    expect(() => momentumStep({ lr: 0.1, momentum: 0.9, dampening: 1.5 })).toThrow('momentumStep: dampening must be a finite number in [0, 1], got 1.5');
    expect(() => momentumStep({ lr: 0.1, momentum: 0.9, nesterov: 1 as never })).toThrow('momentumStep: nesterov must be true or false, got 1');
    expect(() => momentumStep({ lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true })).toThrow('momentumStep: nesterov needs momentum > 0 and dampening = 0, got momentum 0.9 and dampening 0.1');
    expect(() => adamStep({ lr: 0.1, beta2: 1 })).toThrow('adamStep: beta2 must be a finite number in [0, 1), got 1');
    expect(() => adamStep({ lr: 0.1, eps: 0 })).toThrow('adamStep: eps must be a finite number > 0, got 0');
    expect(() => adamStep({ lr: 0.1, beta1: NaN })).toThrow('adamStep: beta1 must be a finite number in [0, 1), got NaN');
  });
  it('tensor hyperparameters must hold one value in range', () => {
    expect(() => sgdStep({ lr: tensor([0.1, 0.2]) })).toThrow('sgdStep: lr must be a number or a one-element tensor, got a tensor of shape [2]');
    expect(() => sgdStep({ lr: tensor(-1) })).toThrow('sgdStep: lr must be a finite number ≥ 0, got a tensor holding -1');
    expect(() => adamStep({ lr: 0.1, beta1: tensor([NaN]) })).toThrow('adamStep: beta1 must be a finite number in [0, 1), got a tensor holding NaN');
    // A one-element tensor of shape [1] must not change the parameters' shape.
    const [u] = sgdStep({ lr: tensor([0.5]) }).update(tensor([1, 2]), { shape: [2], count: 0 });
    expect(u.shape).toEqual([2]);
  });
  it('update and applyUpdates name a gradient of the wrong shape', () => {
    const opt = adamStep({ lr: 0.1 });
    const s = opt.init(tensor([1, 2, 3]));
    expect(() => opt.update(tensor([1, 2]), s)).toThrow('adamStep.update: grads has shape [2] but the parameters have shape [3]');
    expect(() => sgdStep({ lr: 0.1 }).update([1, 2, 3] as never, { shape: [3], count: 0 })).toThrow('sgdStep.update: grads must be a Tensor, got object');
    expect(() => applyUpdates(tensor([1, 2]), tensor([[1, 2]]))).toThrow('applyUpdates: updates has shape [1, 2] but the parameters have shape [2]');
  });
});

describe('unroll options', () => {
  const loss = (x: ReturnType<typeof tensor>) => x.pow(2).sum();
  const optimizer = sgdStep({ lr: 0.1 });
  it('names what is wrong', () => {
    expect(() => unroll({ optimizer, loss, x0: [1], step: 3 } as never)).toThrow("unroll: unknown option 'step' — did you mean 'steps'?");
    expect(() => unroll({ optimizer, loss, x0: [1], steps: -1 })).toThrow('unroll: steps must be an integer ≥ 0, got -1');
    expect(() => unroll({ optimizer, loss, x0: [1], steps: 2.5 })).toThrow('unroll: steps must be an integer ≥ 0, got 2.5');
    expect(() => unroll({ optimizer, loss, x0: [1], steps: 3, truncate: 0 })).toThrow('unroll: truncate must be an integer ≥ 1, got 0');
    expect(() => unroll({ optimizer: { lr: 0.1 } as never, loss, x0: [1], steps: 3 })).toThrow('unroll: optimizer must be an init/update pair');
    expect(() => unroll({ optimizer, loss: 3 as never, x0: [1], steps: 3 })).toThrow('unroll: loss must be a function');
    expect(() => unroll({ optimizer, loss, steps: 3 } as never)).toThrow('unroll: x0 is required');
  });
});
